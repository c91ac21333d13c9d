package org.detcon.core.coco;

/** An entry of {@code images}: id, file name, and size in pixels. Other fields are not kept. */
public record CocoImage(long id, String fileName, int width, int height) {
}
