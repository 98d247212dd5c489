package org.portico.fidelity;

/** How a scenario came out. */
enum Verdict {
    /** httpd and Portico did the same, once normalised. */
    AGREE("agree"),
    /** They differ, and {@link Differences#ON_PURPOSE} says why Portico means to. */
    ON_PURPOSE("differ on purpose"),
    /** They differ where the container decides, not Portico; {@link Differences#CONTAINER} says how. */
    CONTAINER("decided by the container"),
    /** They differ because of a known Portico bug, listed in {@link Differences#KNOWN} with its issue. */
    KNOWN("known difference"),
    /** They differ and nothing says why: the test fails. */
    DIFFER("differ");

    final String label;

    Verdict(String label) {
        this.label = label;
    }
}
