package io.gossipcache.core.codec;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which classes Java deserialization of network data may instantiate: common JDK value types plus the
 * packages and classes the application names. Everything else is rejected before its class is loaded
 * into the stream, so no code of a class outside the list runs.
 *
 * <p>An entry ending in {@code .*} or {@code .**} allows a package and its sub-packages
 * ({@code com.example.*}); any other entry is an exact class name.
 */
public final class AllowList {

    /** JDK packages whose serializable types are plain data. */
    private static final List<String> JDK_PACKAGES = List.of(
            "java.lang.", "java.util.", "java.time.", "java.math.", "java.net.URI", "java.net.URL",
            "java.net.InetAddress", "java.net.Inet4Address", "java.net.Inet6Address", "java.net.InetSocketAddress");

    /** Classes under the JDK packages that have no business in a cache and have been used as gadgets. */
    private static final Set<String> JDK_DENIED = Set.of(
            "java.lang.ProcessBuilder", "java.lang.Runtime", "java.lang.Thread", "java.lang.ClassLoader",
            "java.util.ServiceLoader", "java.lang.reflect.Proxy", "java.lang.invoke.SerializedLambda");

    private static final int MAX_DEPTH = 64;
    private static final long MAX_REFERENCES = 1_000_000;
    private static final long MAX_ARRAY_LENGTH = 64L * 1024 * 1024;

    private final List<String> packagePrefixes;
    private final Set<String> classNames;
    private final ObjectInputFilter filter = this::check;

    private AllowList(List<String> packagePrefixes, Set<String> classNames) {
        this.packagePrefixes = List.copyOf(packagePrefixes);
        this.classNames = Set.copyOf(classNames);
    }

    /** JDK value types only. */
    public static AllowList jdkOnly() {
        return of(List.of());
    }

    /** JDK value types plus the given packages ({@code com.example.*}) and classes. */
    public static AllowList of(Collection<String> entries) {
        List<String> prefixes = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.endsWith(".**")) {
                prefixes.add(entry.substring(0, entry.length() - 2));
            } else if (entry.endsWith(".*")) {
                prefixes.add(entry.substring(0, entry.length() - 1));
            } else {
                classes.add(entry);
            }
        }
        return new AllowList(prefixes, Set.copyOf(classes));
    }

    /** A list with more entries. */
    public AllowList and(Collection<String> entries) {
        AllowList more = of(entries);
        List<String> prefixes = new ArrayList<>(packagePrefixes);
        prefixes.addAll(more.packagePrefixes);
        java.util.HashSet<String> classes = new java.util.HashSet<>(classNames);
        classes.addAll(more.classNames);
        return new AllowList(prefixes, classes);
    }

    /** Whether instances of the named class may be deserialized. */
    public boolean allows(String className) {
        if (classNames.contains(className)) {
            return true;
        }
        for (String prefix : packagePrefixes) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        if (JDK_DENIED.contains(className) || className.startsWith("java.lang.reflect.")
                || className.startsWith("java.lang.invoke.")) {
            return false;
        }
        for (String prefix : JDK_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the named class may be deserialized, or, for an array class ({@code [Lcom.example.Price;}), its
     * component type (a primitive one always may).
     */
    boolean allowsArrayOrClass(String name) {
        if (!name.startsWith("[")) {
            return allows(name);
        }
        String component = name.replaceFirst("^\\[+", "");
        if (component.startsWith("L") && component.endsWith(";")) {
            return allows(component.substring(1, component.length() - 1));
        }
        return component.length() == 1;
    }

    /** An array class's component class name ({@code [[Lcom.example.Price;} gives {@code com.example.Price}). */
    static String componentName(String arrayName) {
        String component = arrayName.replaceFirst("^\\[+", "");
        return component.startsWith("L") && component.endsWith(";") ? component.substring(1, component.length() - 1)
                : arrayName;
    }

    /** The filter to install on an {@link java.io.ObjectInputStream}. */
    public ObjectInputFilter filter() {
        return filter;
    }

    private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
        if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES
                || (info.arrayLength() >= 0 && info.arrayLength() > MAX_ARRAY_LENGTH)) {
            return ObjectInputFilter.Status.REJECTED;
        }
        Class<?> type = info.serialClass();
        if (type == null) {
            return ObjectInputFilter.Status.UNDECIDED;
        }
        while (type.isArray()) {
            type = type.getComponentType();
        }
        if (type.isPrimitive()) {
            return ObjectInputFilter.Status.ALLOWED;
        }
        return allows(type.getName()) ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
    }

    @Override
    public String toString() {
        return "AllowList[jdk, packages=" + packagePrefixes + ", classes=" + classNames + "]";
    }
}
