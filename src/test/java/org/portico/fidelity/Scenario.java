package org.portico.fidelity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One behaviour compared between httpd and Portico: requests sent in order, each on a fresh connection or
 * all on one, and what the comparison leaves aside. Its name ({@code area.what}) is the key of the lists of
 * {@link Differences}. Immutable.
 */
public record Scenario(String name, String about, List<Send> sends, Set<Normaliser> normalisers,
                       boolean oneConnection) {

    private static final Set<Normaliser> DEFAULTS = EnumSet.of(Normaliser.CONTENT_TYPE_SPACING);

    public Scenario {
        if (!name.matches("[a-z0-9]+(\\.[a-z0-9-]+)+")) {
            throw new IllegalArgumentException("a scenario name is area.what in lower case: " + name);
        }
        if (sends.isEmpty()) {
            throw new IllegalArgumentException(name + " sends nothing");
        }
        sends = List.copyOf(sends);
        normalisers = Collections.unmodifiableSet(normalisers.isEmpty()
                ? EnumSet.noneOf(Normaliser.class) : EnumSet.copyOf(normalisers));
    }

    public static Scenario of(String name, String about, Send... sends) {
        return new Scenario(name, about, List.of(sends), DEFAULTS, false);
    }

    /** {@code send} {@code times} times in a row, compared as a sequence of members. */
    public static Scenario sequence(String name, String about, int times, Send send) {
        return new Scenario(name, about, Collections.nCopies(times, send), EnumSet.of(Normaliser.SEQUENCE), false);
    }

    /** Also leaves these aside. */
    public Scenario lenient(Normaliser... more) {
        Set<Normaliser> set = EnumSet.noneOf(Normaliser.class);
        set.addAll(normalisers);
        set.addAll(Arrays.asList(more));
        return new Scenario(name, about, sends, set, oneConnection);
    }

    /** Compares these too, byte for byte. */
    public Scenario strict(Normaliser... compared) {
        Set<Normaliser> set = EnumSet.noneOf(Normaliser.class);
        set.addAll(normalisers);
        Arrays.asList(compared).forEach(set::remove);
        return new Scenario(name, about, sends, set, oneConnection);
    }

    /** Compares a status made by the proxy, not the wording of its page. */
    public Scenario statusOnly() {
        return lenient(Normaliser.REASON_PHRASE, Normaliser.ERROR_PAGE_TEXT);
    }

    /**
     * Sends every request on one kept-alive connection: where the answer depends on the proxy having finished
     * the previous request (a member's busy count), which a client on one connection can rely on.
     */
    public Scenario onOneConnection() {
        return new Scenario(name, about, sends, normalisers, true);
    }

    /** Then sends {@code more} too. */
    public Scenario then(Send... more) {
        List<Send> all = new ArrayList<>(sends);
        all.addAll(List.of(more));
        return new Scenario(name, about, all, normalisers, oneConnection);
    }
}
