package org.portico.importer;

/**
 * A place in the httpd configuration: the file as the user knows it and the line a directive starts on.
 * {@code order} is the directive's position in reading order (Includes expanded), so that what is said
 * about the configuration can be listed in the order httpd reads it.
 */
record Where(String file, int line, int order) implements Comparable<Where> {

    @Override
    public String toString() {
        return file + ":" + line;
    }

    @Override
    public int compareTo(Where o) {
        return Integer.compare(order, o.order);
    }
}
