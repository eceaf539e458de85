package io.gossipcache.autoconfigure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns {@code gossipcache.serialization.allowed-packages} entries into the engine's allow-list entries: a bare
 * package name means the package (and its sub-packages), as users write packages everywhere else in Spring.
 */
final class AllowListEntries {

    private static final Pattern NAME = Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
            + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*(\\.\\*{1,2})?");

    private AllowListEntries() {
    }

    static boolean isValid(String entry) {
        return entry != null && NAME.matcher(entry.trim()).matches();
    }

    /** "com.example" and "com.example.*" become the package "com.example.*"; "com.example.Price" stays a class. */
    static List<String> of(Collection<String> packagesOrClasses) {
        List<String> entries = new ArrayList<>();
        for (String raw : packagesOrClasses) {
            String entry = raw.trim();
            if (entry.endsWith(".*") || isClassName(entry)) {
                entries.add(entry);
            } else {
                entries.add(entry + ".*");
            }
        }
        return entries;
    }

    /** By Java's naming convention: a class's simple name starts with an upper-case letter, a package's does not. */
    private static boolean isClassName(String entry) {
        String last = entry.substring(entry.lastIndexOf('.') + 1);
        return !last.isEmpty() && Character.isUpperCase(last.charAt(0));
    }
}
