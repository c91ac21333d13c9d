/**
 * The COCO instances format: compact immutable records ({@link org.detcon.core.coco.CocoDataset},
 * {@link org.detcon.core.coco.CocoImage}, {@link org.detcon.core.coco.CocoCategory},
 * {@link org.detcon.core.coco.CocoAnnotation}, {@link org.detcon.core.coco.CocoSegmentation}), single-pass streaming
 * readers for annotation files ({@link org.detcon.core.coco.CocoReader}) and detection results
 * ({@link org.detcon.core.coco.CocoResultsReader}), and the segmentation to RLE conversion of pycocotools'
 * {@code annToRLE} ({@link org.detcon.core.coco.CocoSegmentations}).
 */
package org.detcon.core.coco;
