package io.ctxlock.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Lockdep's dependency graph between lock classes ({@code kernel/locking/lockdep.c}: the
 * {@code locks_after}/{@code locks_before} lists and their breadth-first searches
 * {@code __bfs_forwards()}/{@code __bfs_backwards()}). Each edge keeps the site where it was first
 * seen. Guarded by the owning {@link Lockdep}'s monitor; error paths aside, only
 * {@link #add} runs on a lock path with the validator on.
 */
final class LockdepGraph {
    private final Map<String, Map<String, String>> after = new HashMap<>(); // from -> (to -> site)
    private final Map<String, Map<String, String>> before = new HashMap<>(); // to -> (from -> site)

    boolean has(String from, String to) {
        return after.getOrDefault(from, Map.of()).containsKey(to);
    }

    void add(String from, String to, String site) {
        after.computeIfAbsent(from, k -> new LinkedHashMap<>()).put(to, site);
        before.computeIfAbsent(to, k -> new LinkedHashMap<>()).put(from, site);
    }

    String site(String from, String to) {
        return after.get(from).get(to);
    }

    /** A path of classes from {@code a} to {@code b} along dependencies, or null. */
    List<String> path(String a, String b) {
        return search(a, after, b::equals);
    }

    /** The first class reachable forwards from {@code start} (itself included) that {@code match}es, with its path. */
    List<String> forwards(String start, Predicate<String> match) {
        return search(start, after, match);
    }

    /** The first class from which {@code start} is reachable (itself included) that {@code match}es; path from it. */
    List<String> backwards(String start, Predicate<String> match) {
        List<String> p = search(start, before, match);
        if (p != null) {
            java.util.Collections.reverse(p);
        }
        return p;
    }

    private static List<String> search(String start, Map<String, Map<String, String>> edges, Predicate<String> match) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        parent.put(start, start);
        while (!queue.isEmpty()) {
            String n = queue.poll();
            if (match.test(n)) {
                List<String> p = new ArrayList<>();
                for (String x = n; ; x = parent.get(x)) {
                    p.add(0, x);
                    if (x.equals(start)) {
                        return p;
                    }
                }
            }
            for (String next : edges.getOrDefault(n, Map.of()).keySet()) {
                if (parent.putIfAbsent(next, n) == null) {
                    queue.add(next);
                }
            }
        }
        return null;
    }
}
