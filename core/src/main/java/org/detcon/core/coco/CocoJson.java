package org.detcon.core.coco;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Streaming helpers shared by the COCO readers: typed reads with error messages naming file, element and field. */
final class CocoJson {

    private final JsonParser p;
    private final String file;
    /** The element being read, e.g. {@code annotations[12] (id 42)}; set by the readers. */
    String element = "";
    /** The field being read, relative to the element. */
    String field = "";
    private double[] dbuf = new double[256];
    private int[] ibuf = new int[256];

    CocoJson(JsonParser p, String file) {
        this.p = p;
        this.file = file;
    }

    JsonParser parser() {
        return p;
    }

    CocoFormatException error(String message) {
        return error(message, null);
    }

    CocoFormatException error(String message, Throwable cause) {
        JsonLocation loc = p.currentLocation();
        String where = element.isEmpty() ? field : field.isEmpty() ? element : element + ", field '" + field + "'";
        String text = (where.isEmpty() ? "" : where + ": ") + message
                + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")");
        String path = field.isEmpty() ? (element.isEmpty() ? null : element) : field;
        return new CocoFormatException(file, path, text, cause);
    }

    /** Next token, turning Jackson's syntax errors and a premature end into {@link CocoFormatException}. */
    JsonToken next() throws CocoFormatException {
        try {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw error("unexpected end of file");
            }
            return t;
        } catch (JsonEOFException e) {
            throw error("unexpected end of file", e);
        } catch (JsonProcessingException e) {
            throw error("invalid JSON: " + e.getOriginalMessage(), e);
        } catch (CocoFormatException e) {
            throw e;
        } catch (IOException e) {
            throw error("read failed: " + e.getMessage(), e);
        }
    }

    void expect(JsonToken actual, JsonToken expected, String what) throws CocoFormatException {
        if (actual != expected) {
            throw error("expected " + what + ", got " + describe(actual));
        }
    }

    void skip() throws CocoFormatException {
        try {
            p.skipChildren();
        } catch (JsonEOFException e) {
            throw error("unexpected end of file", e);
        } catch (JsonProcessingException e) {
            throw error("invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw error("read failed: " + e.getMessage(), e);
        }
    }

    String fieldName() throws CocoFormatException {
        try {
            return p.currentName();
        } catch (IOException e) {
            throw error("read failed: " + e.getMessage(), e);
        }
    }

    /** The current number token as a double. */
    double doubleValue(JsonToken t) throws CocoFormatException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw error("expected a number, got " + describe(t));
        }
        try {
            return p.getDoubleValue();
        } catch (IOException e) {
            throw error("bad number: " + e.getMessage(), e);
        }
    }

    /** The current token as an integral number (an integral float such as {@code 3.0} is accepted). */
    long longValue(JsonToken t) throws CocoFormatException {
        try {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw error("integer out of range: " + p.getText());
                }
                return p.getLongValue();
            }
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                double d = p.getDoubleValue();
                if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
                    return (long) d;
                }
                throw error("expected an integer, got " + p.getText());
            }
        } catch (CocoFormatException e) {
            throw e;
        } catch (IOException e) {
            throw error("bad number: " + e.getMessage(), e);
        }
        throw error("expected an integer, got " + describe(t));
    }

    int intValue(JsonToken t) throws CocoFormatException {
        long v = longValue(t);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw error("integer out of range: " + v);
        }
        return (int) v;
    }

    /** {@code iscrowd}: 0/1 or a boolean. */
    boolean flagValue(JsonToken t) throws CocoFormatException {
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        long v = longValue(t);
        if (v != 0 && v != 1) {
            throw error("expected 0 or 1, got " + v);
        }
        return v == 1;
    }

    /** A string or {@code null}. */
    String stringOrNull(JsonToken t) throws CocoFormatException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw error("expected a string, got " + describe(t));
        }
        try {
            return p.getText();
        } catch (IOException e) {
            throw error("read failed: " + e.getMessage(), e);
        }
    }

    /** An array of numbers, the current token being its start. */
    double[] doubleArray(JsonToken t) throws CocoFormatException {
        expect(t, JsonToken.START_ARRAY, "an array of numbers");
        int n = 0;
        for (JsonToken e = next(); e != JsonToken.END_ARRAY; e = next()) {
            if (n == dbuf.length) {
                dbuf = Arrays.copyOf(dbuf, n * 2);
            }
            dbuf[n++] = doubleValue(e);
        }
        return Arrays.copyOf(dbuf, n);
    }

    /** An array of uint32 values (RLE counts), the current token being its start. */
    int[] uintArray(JsonToken t) throws CocoFormatException {
        expect(t, JsonToken.START_ARRAY, "an array of counts");
        int n = 0;
        for (JsonToken e = next(); e != JsonToken.END_ARRAY; e = next()) {
            long v = longValue(e);
            if (v < 0 || v > 0xffff_ffffL) {
                throw error("RLE count out of uint32 range: " + v);
            }
            if (n == ibuf.length) {
                ibuf = Arrays.copyOf(ibuf, n * 2);
            }
            ibuf[n++] = (int) v;
        }
        return Arrays.copyOf(ibuf, n);
    }

    /** A bbox {@code [x, y, w, h]}. */
    double[] bbox(JsonToken t) throws CocoFormatException {
        double[] b = doubleArray(t);
        if (b.length != 4) {
            throw error("expected 4 numbers [x, y, w, h], got " + b.length);
        }
        return b;
    }

    /** A segmentation: a list of polygons, or an RLE object with counts (array or string) and size. */
    CocoSegmentation segmentation(JsonToken t) throws CocoFormatException {
        if (t == JsonToken.START_ARRAY) {
            List<double[]> polys = new ArrayList<>(2);
            String base = field;
            int i = 0;
            for (JsonToken e = next(); e != JsonToken.END_ARRAY; e = next()) {
                field = base + "[" + i + "]";
                polys.add(doubleArray(e));
                i++;
            }
            field = base;
            return new CocoSegmentation.Polygons(polys.toArray(new double[0][]));
        }
        if (t != JsonToken.START_OBJECT) {
            throw error("expected a list of polygons or an RLE object, got " + describe(t));
        }
        String base = field;
        int[] counts = null;
        String compressed = null;
        int h = -1;
        int w = -1;
        for (JsonToken e = next(); e != JsonToken.END_OBJECT; e = next()) {
            String name = fieldName();
            JsonToken v = next();
            field = base + "." + name;
            switch (name) {
                case "counts" -> {
                    if (v == JsonToken.VALUE_STRING) {
                        compressed = stringOrNull(v);
                        counts = null;
                    } else {
                        counts = uintArray(v);
                        compressed = null;
                    }
                }
                case "size" -> {
                    expect(v, JsonToken.START_ARRAY, "[height, width]");
                    JsonToken a = next();
                    h = intValue(a);
                    w = intValue(next());
                    if (next() != JsonToken.END_ARRAY) {
                        throw error("expected [height, width]");
                    }
                    if (h < 0 || w < 0) {
                        throw error("negative size " + h + "x" + w);
                    }
                }
                default -> skip();
            }
            field = base;
        }
        if (h < 0) {
            field = base + ".size";
            throw error("RLE segmentation without size");
        }
        if (compressed != null) {
            return new CocoSegmentation.CompressedRle(h, w, compressed);
        }
        if (counts == null) {
            field = base + ".counts";
            throw error("RLE segmentation without counts");
        }
        return new CocoSegmentation.UncompressedRle(h, w, counts);
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "end of file";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }
}
