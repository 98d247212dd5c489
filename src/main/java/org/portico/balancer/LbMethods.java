package org.portico.balancer;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The lbmethods on the class path, by name, as {@link ServiceLoader} finds them. Immutable. */
public final class LbMethods {

    private final Map<String, Class<? extends LbMethod>> byName;

    private LbMethods(Map<String, Class<? extends LbMethod>> byName) {
        this.byName = byName;
    }

    /** Discovers the providers visible to {@code loader} (the web app's class loader in a container). */
    public static LbMethods discover(ClassLoader loader) {
        Map<String, Class<? extends LbMethod>> found = new TreeMap<>();
        for (ServiceLoader.Provider<LbMethod> p : ServiceLoader.load(LbMethod.class, loader).stream().toList()) {
            found.putIfAbsent(p.get().name(), p.type());
        }
        return new LbMethods(Map.copyOf(found));
    }

    /** A fresh instance of the named method (each balancer keeps its own state), or null if unknown. */
    public LbMethod create(String name) {
        Class<? extends LbMethod> type = byName.get(name);
        if (type == null) {
            return null;
        }
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("lbmethod " + name + " (" + type.getName() + ") cannot be created", e);
        }
    }

    public java.util.Set<String> names() {
        return new java.util.TreeSet<>(byName.keySet());
    }
}
