/** Text (pycocotools' 12 summary lines) and JSON renderings of COCO metrics. */
package org.detcon.eval.coco.report;
