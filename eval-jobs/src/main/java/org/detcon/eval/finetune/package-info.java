/** What the fine-tuning protocols share (detection now; segmentation and depth fine-tuning to follow). */
package org.detcon.eval.finetune;
