/**
 * Downstream evaluation datasets read in place from their published formats (no conversion step): sample
 * records ({@link org.detcon.eval.data.SegSample}, {@link org.detcon.eval.data.DepthSample}), lazily loaded
 * indexed sources, and the small ImageIO-based decoder {@link org.detcon.eval.data.ImageRasterIo} (to be swapped
 * for core's image decoding and label-map codec). Malformed files raise {@link
 * org.detcon.eval.data.MalformedDataException} naming the file and the field.
 *
 * <p>Sub-packages: {@code voc} (PASCAL VOC 2012, SBD train_aug), {@code cityscapes} (gtFine labelIds → trainIds),
 * {@code nyu} (NYU Depth v2 labelled .mat and PNG export). Fixtures: {@code tools/fixtures/make_eval_data_fixtures.py}.
 */
package org.detcon.eval.data;
