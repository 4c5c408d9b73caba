package org.jamwire.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.junit.jupiter.api.Test;

/**
 * Proves, from the compiled classes, that no class whose code runs on the JACK process thread
 * holds a string constant that is still unresolved once the class is initialised.
 *
 * <p>Why: when a method becomes hot enough for HotSpot's optimising compiler, the thread that
 * asks for the compilation first resolves every string constant of the method's class (and
 * interns it). On the JACK thread that is a heap allocation, and it can come at any time: a method
 * taken only under loss or lateness (concealment, a burst of queued packets) becomes hot minutes
 * into a link. {@code JackAllocationTest} caught it as a few hundred bytes to 1.6 kB in a measured
 * window, now and then. Strings loaded by a class's static initialiser are resolved before any
 * thread runs the class, so they are allowed; every other string (an exception's message, a
 * {@code toString}, a string concatenation's recipe, a constant field) belongs in a class the
 * JACK thread never runs.
 *
 * <p>The classes are those reachable from {@code PeriodCallback.invoke} through calls, constructor
 * calls, virtual dispatch to every override among JamWire's classes, and lambdas, except a call
 * whose result is thrown at once: a period that throws has allocated anyway, and is counted as a
 * failure. JDK and library classes are not followed.
 */
class RealTimeConstantsTest {

    private static final String ENTRY_CLASS = "org/jamwire/jack/PeriodCallback";
    private static final String ENTRY_METHOD = "invoke";
    private static final String OURS = "org/jamwire/";

    @Test
    void classes_run_on_the_jack_thread_resolve_all_their_strings_at_initialisation() throws Exception {
        final Graph graph = Graph.load();
        final Set<String> reached = graph.reachFrom(ENTRY_CLASS, ENTRY_METHOD);
        assertTrue(reached.contains("org/jamwire/link/AudioPipeline"), "the walk must reach a link's pipeline: " + reached);
        assertTrue(reached.contains("org/jamwire/net/PacketLoop"), "the walk must reach the packet loop: " + reached);
        assertTrue(reached.contains("org/jamwire/engine/LinearPrediction"), "the walk must reach concealment: " + reached);
        assertTrue(reached.contains("org/jamwire/engine/DriftEstimator"), "the walk must reach drift: " + reached);
        final List<String> problems = new ArrayList<>();
        for (final String owner : new TreeSet<>(reached)) {
            final List<String> found = graph.unresolvedStrings(owner);
            if (!found.isEmpty()) {
                problems.addAll(found);
                problems.add("    (reached by " + graph.path(owner) + ")");
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " string constant(s) in classes the JACK thread runs"
                + " would be resolved, and allocated, by whichever thread first asks for one of their methods to"
                + " be compiled; move them to a class the JACK thread never runs:\n  " + String.join("\n  ", problems));
    }

    /** JamWire's compiled classes, with the subtype and lambda relations the walk needs. */
    private static final class Graph {
        private final Map<String, ClassNode> classes = new HashMap<>();
        private final Map<String, Set<String>> subtypes = new HashMap<>();
        /** Functional interface name → lambda bodies ("owner.name desc") created for it. */
        private final Map<String, Set<String>> lambdas = new HashMap<>();
        /** Method reached → the method whose call reached it first. */
        private final Map<String, String> cause = new HashMap<>();
        /** Class reached → the first of its methods reached. */
        private final Map<String, String> entered = new HashMap<>();

        static Graph load() throws IOException, URISyntaxException {
            final Path root = Path.of(org.jamwire.audio.AudioProcessor.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            final Graph g = new Graph();
            try (Stream<Path> files = Files.walk(root)) {
                for (final Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                    try (InputStream in = Files.newInputStream(p)) {
                        final ClassNode node = new ClassNode();
                        new ClassReader(in).accept(node, ClassReader.SKIP_FRAMES);
                        g.classes.put(node.name, node);
                    }
                }
            }
            for (final ClassNode c : g.classes.values()) {
                final List<String> supers = new ArrayList<>(c.interfaces);
                if (c.superName != null) {
                    supers.add(c.superName);
                }
                for (final String s : supers) {
                    g.subtypes.computeIfAbsent(s, k -> new HashSet<>()).add(c.name);
                }
                for (final MethodNode m : c.methods) {
                    for (final AbstractInsnNode insn : m.instructions) {
                        if (insn instanceof InvokeDynamicInsnNode indy && indy.bsmArgs.length >= 2
                                && indy.bsmArgs[1] instanceof Handle impl
                                && indy.bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory")) {
                            g.lambdas.computeIfAbsent(Type.getReturnType(indy.desc).getInternalName(),
                                    k -> new HashSet<>()).add(impl.getOwner() + "." + impl.getName() + impl.getDesc());
                        }
                    }
                }
            }
            return g;
        }

        /** Classes with code reachable from the named method (all its overloads). */
        Set<String> reachFrom(String owner, String name) {
            final Set<String> seen = new HashSet<>();
            final Deque<String> work = new ArrayDeque<>();
            for (final MethodNode m : classes.get(owner).methods) {
                if (m.name.equals(name)) {
                    work.add(owner + "." + m.name + m.desc);
                }
            }
            final Set<String> reached = new LinkedHashSet<>();
            while (!work.isEmpty()) {
                final String key = work.pop();
                if (!seen.add(key)) {
                    continue;
                }
                final int dot = key.indexOf('.');
                final String cls = key.substring(0, dot);
                final MethodNode m = method(cls, key.substring(dot + 1));
                if (m == null) {
                    continue;
                }
                reached.add(cls);
                entered.putIfAbsent(cls, key);
                final List<String> next = new ArrayList<>();
                for (final AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof MethodInsnNode call && !thrown(call)) {
                        next.addAll(targets(call.owner, call.name, call.desc, call.getOpcode()));
                    } else if (insn instanceof InvokeDynamicInsnNode indy) {
                        for (final Object arg : indy.bsmArgs) {
                            if (arg instanceof Handle h && h.getOwner().startsWith(OURS)) {
                                next.add(h.getOwner() + "." + h.getName() + h.getDesc());
                            }
                        }
                    }
                }
                for (final String n : next) {
                    cause.putIfAbsent(n, key);
                }
                work.addAll(next);
            }
            return reached;
        }

        /**
         * True for a call whose result is thrown at once ({@code throw Refused.x(...)}): that path
         * ends the period with an exception, which allocates anyway and is counted as a failure.
         */
        private static boolean thrown(MethodInsnNode call) {
            AbstractInsnNode next = call.getNext();
            while (next != null && next.getOpcode() < 0) {
                next = next.getNext();
            }
            return next != null && next.getOpcode() == Opcodes.ATHROW;
        }

        /** The chain of calls from the entry point to the first method of {@code owner} reached. */
        String path(String owner) {
            final List<String> chain = new ArrayList<>();
            for (String k = entered.get(owner); k != null; k = cause.get(k)) {
                final String m = k.substring(0, k.indexOf('('));
                chain.add(0, m.substring(m.lastIndexOf('/') + 1));
                if (chain.size() > 12) {
                    break;
                }
            }
            return String.join(" -> ", chain);
        }

        private List<String> targets(String owner, String name, String desc, int opcode) {
            final List<String> out = new ArrayList<>();
            if (owner.startsWith(OURS)) {
                final String declaring = declaring(owner, name + desc);
                if (declaring != null) {
                    out.add(declaring + "." + name + desc);
                }
            }
            if (opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKEINTERFACE) {
                if (!owner.equals("java/lang/Object")) {
                    for (final String sub : allSubtypes(owner)) {
                        if (method(sub, name + desc) != null) {
                            out.add(sub + "." + name + desc);
                        }
                    }
                }
                for (final String body : lambdas.getOrDefault(owner, Set.of())) {
                    if (body.startsWith(OURS)) {
                        out.add(body);
                    }
                }
            }
            return out;
        }

        /** The class, {@code owner} or one of its ancestors among ours, that declares the method. */
        private String declaring(String owner, String nameAndDesc) {
            for (String c = owner; c != null && classes.containsKey(c); c = classes.get(c).superName) {
                if (method(c, nameAndDesc) != null) {
                    return c;
                }
                for (final String i : classes.get(c).interfaces) {
                    if (method(i, nameAndDesc) != null) {
                        return i;
                    }
                }
            }
            return null;
        }

        private Set<String> allSubtypes(String type) {
            final Set<String> out = new HashSet<>();
            final Deque<String> work = new ArrayDeque<>(List.of(type));
            while (!work.isEmpty()) {
                for (final String s : subtypes.getOrDefault(work.pop(), Set.of())) {
                    if (out.add(s)) {
                        work.add(s);
                    }
                }
            }
            return out;
        }

        private MethodNode method(String owner, String nameAndDesc) {
            final ClassNode c = classes.get(owner);
            if (c == null) {
                return null;
            }
            for (final MethodNode m : c.methods) {
                if ((m.name + m.desc).equals(nameAndDesc) && (m.access & Opcodes.ACC_ABSTRACT) == 0) {
                    return m;
                }
            }
            return null;
        }

        /** Each string constant of the class that its static initialiser does not load. */
        List<String> unresolvedStrings(String owner) {
            final ClassNode c = classes.get(owner);
            final Set<String> atInit = new HashSet<>();
            final List<String> out = new ArrayList<>();
            for (final MethodNode m : c.methods) {
                for (final AbstractInsnNode insn : m.instructions) {
                    if (m.name.equals("<clinit>") && insn instanceof LdcInsnNode ldc && ldc.cst instanceof String s) {
                        atInit.add(s);
                    }
                }
            }
            final String where = owner.replace('/', '.');
            for (final FieldNode f : c.fields) {
                if (f.value instanceof String s && !atInit.contains(s)) {
                    out.add(where + "." + f.name + ": constant \"" + s + "\"");
                }
            }
            for (final MethodNode m : c.methods) {
                if (m.name.equals("<clinit>")) {
                    continue;
                }
                for (final AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof LdcInsnNode ldc && ldc.cst instanceof String s && !atInit.contains(s)) {
                        out.add(where + "." + m.name + ": \"" + s + "\"");
                    } else if (insn instanceof InvokeDynamicInsnNode indy) {
                        for (final Object arg : indy.bsmArgs) {
                            if (arg instanceof String s && !atInit.contains(s)) {
                                out.add(where + "." + m.name + ": string concatenation \""
                                        + s.replace('\u0001', '#') + "\"");
                            }
                        }
                    }
                }
            }
            return out;
        }
    }
}
