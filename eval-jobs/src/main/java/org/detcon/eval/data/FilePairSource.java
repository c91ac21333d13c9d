package org.detcon.eval.data;

import java.nio.file.Path;
import java.util.List;

/** A {@link SampleSource} over a fixed list of image/target file pairs, listed once when the dataset is opened. */
public abstract class FilePairSource<T> implements SampleSource<T> {

    private final String name;
    private final List<FilePair> pairs;
    private final List<String> ids;

    protected FilePairSource(String name, List<FilePair> pairs) {
        this.name = name;
        this.pairs = List.copyOf(pairs);
        this.ids = this.pairs.stream().map(FilePair::id).toList();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<String> ids() {
        return ids;
    }

    /** The files of sample {@code index}. */
    protected final FilePair pair(int index) {
        return pairs.get(index);
    }

    /** The image and target file of sample {@code index} (for messages naming a bad sample's files). */
    public final List<Path> files(int index) {
        FilePair e = pairs.get(index);
        return List.of(e.image(), e.target());
    }
}
