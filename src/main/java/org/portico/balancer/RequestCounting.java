package org.portico.balancer;

/**
 * The lbmethods that keep byrequests' lbstatus accounting (byrequests, bybusyness): every candidate
 * evaluated is credited its loadfactor, the chosen one gives back the total, which makes the smooth
 * weighted round robin among the candidates a method finds equal.
 */
abstract class RequestCounting extends TierSelection {

    private final String name;

    RequestCounting(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    protected final boolean isBest(Worker w, Worker best, Accumulator acc) {
        acc.credit(w);
        return beats(w, best, acc);
    }

    /** Whether {@code w}, already credited, beats {@code best} (true when {@code best} is null). */
    protected abstract boolean beats(Worker w, Worker best, Accumulator acc);

    @Override
    protected final void chosen(Worker w, Accumulator acc) {
        acc.debit(w);
    }
}
