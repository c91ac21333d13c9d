/**
 * Run-length encoded binary masks: an exact Java port of the pycocotools C mask API ({@code common/maskApi.c}) and
 * of the Python-level semantics of {@code pycocotools.mask} / {@code _mask.pyx}.
 *
 * <p>Conventions (as in pycocotools): a mask of {@code height x width} pixels is flattened in column-major (Fortran)
 * order, i.e. pixel {@code (y, x)} has index {@code x * height + y}; runs alternate starting with a run of zeros
 * (which may be empty); counts are C {@code uint32}, held here in Java {@code int}s and always interpreted as
 * unsigned, with the C wrap-around semantics where the C code has them (areas, merges).
 *
 * <ul>
 *   <li>{@link org.detcon.core.mask.Rle}: the immutable RLE value.</li>
 *   <li>{@link org.detcon.core.mask.RleCodec}: encode a binary mask (column- or row-major) / decode it.</li>
 *   <li>{@link org.detcon.core.mask.RleString}: the compressed COCO string ({@code rleToString}/{@code rleFrString}).</li>
 *   <li>{@link org.detcon.core.mask.RleOps}: area, toBbox, merge (union / intersection).</li>
 *   <li>{@link org.detcon.core.mask.MaskIou}: IoU matrices of RLEs and of boxes, with iscrowd semantics.</li>
 *   <li>{@link org.detcon.core.mask.PolygonRasterizer}: {@code rleFrPoly}.</li>
 *   <li>{@link org.detcon.core.mask.BoxRasterizer}: {@code rleFrBbox}.</li>
 * </ul>
 */
package org.detcon.core.mask;
