package org.detcon.eval.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.detcon.eval.data.MalformedDataException;

/**
 * Pairs ground-truth and prediction files of two directory trees by relative path without extension (so
 * {@code city/a.png} in one pairs with {@code city/a.png} or {@code city/a.npy} in the other). Any file without a
 * partner is an error listing the unpaired names.
 */
final class FilePairs {

    record Pair(String key, Path gt, Path pred) {
    }

    private FilePairs() {
    }

    static List<Pair> pair(Path gtDir, Path predDir, List<String> gtExtensions, List<String> predExtensions) {
        Map<String, Path> gt = scan(gtDir, gtExtensions);
        Map<String, Path> pred = scan(predDir, predExtensions);
        if (gt.isEmpty()) {
            throw new MalformedDataException(gtDir, "ground-truth files", "no " + gtExtensions + " files found");
        }
        List<String> missing = gt.keySet().stream().filter(k -> !pred.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            throw new MalformedDataException(predDir, "prediction files", missing.size()
                    + " ground-truth file(s) have no prediction: " + names(missing, gt));
        }
        List<String> extra = pred.keySet().stream().filter(k -> !gt.containsKey(k)).toList();
        if (!extra.isEmpty()) {
            throw new MalformedDataException(predDir, "prediction files", extra.size()
                    + " prediction file(s) have no ground truth in " + gtDir + ": " + names(extra, pred));
        }
        List<Pair> pairs = new ArrayList<>(gt.size());
        for (var e : gt.entrySet()) {
            pairs.add(new Pair(e.getKey(), e.getValue(), pred.get(e.getKey())));
        }
        return pairs;
    }

    private static String names(List<String> keys, Map<String, Path> files) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(10, keys.size()); i++) {
            sb.append(i == 0 ? "" : ", ").append(relName(files.get(keys.get(i)), keys.get(i)));
        }
        if (keys.size() > 10) {
            sb.append(", ... (").append(keys.size() - 10).append(" more)");
        }
        return sb.toString();
    }

    private static String relName(Path file, String key) {
        String f = file.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return key + (dot >= 0 ? f.substring(dot) : "");
    }

    private static Map<String, Path> scan(Path dir, List<String> extensions) {
        if (!Files.isDirectory(dir)) {
            throw new UncheckedIOException(new IOException("not a directory: " + dir));
        }
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                String lower = rel.toLowerCase(Locale.ROOT);
                for (String ext : extensions) {
                    if (lower.endsWith(ext)) {
                        String key = rel.substring(0, rel.length() - ext.length());
                        Path prev = out.put(key, p);
                        if (prev != null) {
                            throw new MalformedDataException(p, "file name", "same name as " + prev
                                    + " apart from the extension");
                        }
                        break;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }
}
