package org.detcon.core.coco;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a COCO instances file ({@code instances_*.json}) in one streaming pass with Jackson's {@link JsonParser}:
 * no tree, no map per annotation, polygons straight into {@code double[]}, RLE counts into {@code int[]}. Top-level
 * fields other than {@code images}, {@code annotations} and {@code categories} (e.g. {@code info},
 * {@code licenses}) and unknown fields inside elements are skipped.
 *
 * <p>Required: {@code images[].id, width, height}; {@code categories[].id}; {@code annotations[].id, image_id,
 * category_id}. Optional: {@code file_name}, {@code name}, {@code supercategory}, {@code bbox}, {@code area}
 * (default 0), {@code iscrowd} (default false; 0/1 or boolean), {@code segmentation}. A structural problem throws
 * {@link CocoFormatException} naming the file, the element (with annotation id when already read) and the field.
 */
public final class CocoReader {

    static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE) // compressed RLE strings of big images
                    .maxDocumentLength(-1)
                    .build())
            .build();

    private CocoReader() {
    }

    /** Reads the file. */
    public static CocoDataset read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads from a stream; {@code name} is used in error messages. The stream is not closed. */
    public static CocoDataset read(InputStream in, String name) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            CocoJson j = new CocoJson(p, name);
            List<CocoImage> images = new ArrayList<>();
            List<CocoCategory> categories = new ArrayList<>();
            List<CocoAnnotation> annotations = new ArrayList<>();
            j.expect(j.next(), JsonToken.START_OBJECT, "a JSON object at the top level");
            for (JsonToken t = j.next(); t != JsonToken.END_OBJECT; t = j.next()) {
                String key = j.fieldName();
                JsonToken v = j.next();
                switch (key) {
                    case "images" -> readArray(j, v, key, () -> images.add(readImage(j, images.size())));
                    case "categories" -> readArray(j, v, key, () -> categories.add(readCategory(j, categories.size())));
                    case "annotations" -> readArray(j, v, key,
                            () -> annotations.add(readAnnotation(j, annotations.size())));
                    default -> j.skip();
                }
                j.element = "";
                j.field = "";
            }
            return new CocoDataset(images, categories, annotations);
        }
    }

    @FunctionalInterface
    interface ElementReader {
        void read() throws IOException;
    }

    static void readArray(CocoJson j, JsonToken start, String key, ElementReader each) throws IOException {
        j.element = "";
        j.field = key;
        j.expect(start, JsonToken.START_ARRAY, "an array");
        for (JsonToken t = j.next(); t != JsonToken.END_ARRAY; t = j.next()) {
            j.expect(t, JsonToken.START_OBJECT, "an object");
            each.read();
            j.field = key;
            j.element = "";
        }
    }

    private static CocoImage readImage(CocoJson j, int index) throws IOException {
        String base = "images[" + index + "]";
        j.element = base;
        long id = Long.MIN_VALUE;
        int width = -1;
        int height = -1;
        String fileName = null;
        for (JsonToken t = j.next(); t != JsonToken.END_OBJECT; t = j.next()) {
            String name = j.fieldName();
            JsonToken v = j.next();
            j.field = name;
            switch (name) {
                case "id" -> {
                    id = j.longValue(v);
                    j.element = base + " (id " + id + ")";
                }
                case "width" -> width = positive(j, j.intValue(v));
                case "height" -> height = positive(j, j.intValue(v));
                case "file_name" -> fileName = j.stringOrNull(v);
                default -> j.skip();
            }
            j.field = "";
        }
        require(j, id != Long.MIN_VALUE, "id");
        require(j, width >= 0, "width");
        require(j, height >= 0, "height");
        return new CocoImage(id, fileName, width, height);
    }

    private static CocoCategory readCategory(CocoJson j, int index) throws IOException {
        String base = "categories[" + index + "]";
        j.element = base;
        long id = Long.MIN_VALUE;
        String name = null;
        String supercategory = null;
        for (JsonToken t = j.next(); t != JsonToken.END_OBJECT; t = j.next()) {
            String key = j.fieldName();
            JsonToken v = j.next();
            j.field = key;
            switch (key) {
                case "id" -> {
                    id = j.intValue(v);
                    j.element = base + " (id " + id + ")";
                }
                case "name" -> name = j.stringOrNull(v);
                case "supercategory" -> supercategory = j.stringOrNull(v);
                default -> j.skip();
            }
            j.field = "";
        }
        require(j, id != Long.MIN_VALUE, "id");
        return new CocoCategory((int) id, name, supercategory);
    }

    private static CocoAnnotation readAnnotation(CocoJson j, int index) throws IOException {
        String base = "annotations[" + index + "]";
        j.element = base;
        long id = Long.MIN_VALUE;
        long imageId = Long.MIN_VALUE;
        long categoryId = Long.MIN_VALUE;
        double[] bbox = null;
        double area = 0;
        boolean iscrowd = false;
        CocoSegmentation segmentation = null;
        for (JsonToken t = j.next(); t != JsonToken.END_OBJECT; t = j.next()) {
            String key = j.fieldName();
            JsonToken v = j.next();
            j.field = key;
            switch (key) {
                case "id" -> {
                    id = j.longValue(v);
                    j.element = base + " (id " + id + ")";
                }
                case "image_id" -> imageId = j.longValue(v);
                case "category_id" -> categoryId = j.intValue(v);
                case "bbox" -> bbox = j.bbox(v);
                case "area" -> area = j.doubleValue(v);
                case "iscrowd" -> iscrowd = j.flagValue(v);
                case "segmentation" -> segmentation = j.segmentation(v);
                default -> j.skip();
            }
            j.field = "";
        }
        require(j, id != Long.MIN_VALUE, "id");
        require(j, imageId != Long.MIN_VALUE, "image_id");
        require(j, categoryId != Long.MIN_VALUE, "category_id");
        return new CocoAnnotation(id, imageId, (int) categoryId, bbox, area, iscrowd, segmentation);
    }

    static int positive(CocoJson j, int v) throws CocoFormatException {
        if (v <= 0) {
            throw j.error("expected a positive size, got " + v);
        }
        return v;
    }

    static void require(CocoJson j, boolean present, String field) throws CocoFormatException {
        if (!present) {
            j.field = field;
            throw j.error("missing required field");
        }
    }
}
