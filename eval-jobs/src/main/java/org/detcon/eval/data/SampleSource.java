package org.detcon.eval.data;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * An indexed, lazily loaded dataset: {@link #ids()} is known up front (cheap), each sample is decoded only when
 * {@link #load(int)} is called, so iterating never holds more than one sample.
 */
public interface SampleSource<T> extends Iterable<T> {

    /** A short description, e.g. {@code voc2012/val}. */
    String name();

    /** Sample identifiers, in iteration order. */
    List<String> ids();

    default int size() {
        return ids().size();
    }

    /** Decodes sample {@code index}. */
    T load(int index);

    @Override
    default Iterator<T> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return load(next++);
            }
        };
    }

    /** A sequential stream of lazily loaded samples (call {@code .parallel()} if wanted: loading is thread-safe). */
    default Stream<T> stream() {
        return IntStream.range(0, size()).mapToObj(this::load);
    }
}
