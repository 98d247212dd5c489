package org.portico.tunnel;

/** Counts the threads of this JVM that are not the tests' own backends and clients (an embedded container's run). */
final class ContainerThreads {

    private ContainerThreads() {
    }

    static int count() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.getName().startsWith("ws-backend-") && !t.getName().startsWith("ws-client")
                        && !t.getName().startsWith("HttpClient-"))
                .count();
    }
}
