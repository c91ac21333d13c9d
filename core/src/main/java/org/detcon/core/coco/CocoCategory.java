package org.detcon.core.coco;

/** An entry of {@code categories}. {@code supercategory} is {@code null} when absent. */
public record CocoCategory(int id, String name, String supercategory) {
}
