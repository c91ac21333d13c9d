package org.detcon.core.coco;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a COCO detection results file — a JSON array of {@code {image_id, category_id, bbox | segmentation,
 * score}} — in one streaming pass. Required per entry: {@code image_id}, {@code category_id}, {@code score}, and
 * {@code bbox} or {@code segmentation} (or both); unknown fields are skipped. Errors name the file, the entry
 * position (and its image id when already read) and the field.
 */
public final class CocoResultsReader {

    private CocoResultsReader() {
    }

    public static List<CocoDetection> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads from a stream; {@code name} is used in error messages. The stream is not closed. */
    public static List<CocoDetection> read(InputStream in, String name) throws IOException {
        try (JsonParser p = CocoReader.JSON.createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            CocoJson j = new CocoJson(p, name);
            List<CocoDetection> out = new ArrayList<>();
            j.expect(j.next(), JsonToken.START_ARRAY, "a JSON array of detections at the top level");
            for (JsonToken t = j.next(); t != JsonToken.END_ARRAY; t = j.next()) {
                j.element = "[" + out.size() + "]";
                j.field = "";
                j.expect(t, JsonToken.START_OBJECT, "an object");
                out.add(readDetection(j, out.size()));
            }
            return out;
        }
    }

    private static CocoDetection readDetection(CocoJson j, int index) throws IOException {
        String base = "[" + index + "]";
        long imageId = Long.MIN_VALUE;
        long categoryId = Long.MIN_VALUE;
        double[] bbox = null;
        CocoSegmentation segmentation = null;
        double score = Double.NaN;
        boolean hasScore = false;
        for (JsonToken t = j.next(); t != JsonToken.END_OBJECT; t = j.next()) {
            String key = j.fieldName();
            JsonToken v = j.next();
            j.field = key;
            switch (key) {
                case "image_id" -> {
                    imageId = j.longValue(v);
                    j.element = base + " (image_id " + imageId + ")";
                }
                case "category_id" -> categoryId = j.intValue(v);
                case "bbox" -> bbox = j.bbox(v);
                case "segmentation" -> segmentation = j.segmentation(v);
                case "score" -> {
                    score = j.doubleValue(v);
                    hasScore = true;
                }
                default -> j.skip();
            }
            j.field = "";
        }
        CocoReader.require(j, imageId != Long.MIN_VALUE, "image_id");
        CocoReader.require(j, categoryId != Long.MIN_VALUE, "category_id");
        CocoReader.require(j, hasScore, "score");
        if (bbox == null && segmentation == null) {
            j.field = "bbox";
            throw j.error("missing required field: a detection needs bbox or segmentation");
        }
        return new CocoDetection(index, imageId, (int) categoryId, bbox, segmentation, score);
    }
}
