package dev.ctrnet.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the thin client and the ctrnet service say to each other over a {@link ServiceLine}: the
 * client sends one {@link Request}, then possibly {@link #ATTACHED} and {@link #SIGNAL} frames; the service answers with
 * {@link #STDOUT}/{@link #STDERR} frames and ends with one {@link #EXIT} frame, or with one
 * {@link #IN_PROCESS} frame when the command must run in the client's own process. {@code bin/ctrnet}'s shell, as
 * a client ({@link Request#shell}), writes the same request and signals with {@code printf}, and gets one line of text
 * instead, which its {@code read} builtin can take: the command's output goes straight to the shell's own streams.
 *
 * <p>Every frame is a type byte, a length and that many bytes. JDK classes only: the client loads this.
 */
final class ServiceProtocol {
    /**
     * Bumped when a frame changes, or what it means; a service of another version is told to go, and a new one
     * started. Version 3: a request may come from {@code bin/ctrnet} itself, with no namespaces (see {@link Request}).
     */
    static final int VERSION = 3;

    static final byte REQUEST = 'R';
    static final byte SIGNAL = 'S';
    /**
     * From the JVM of a request {@code bin/ctrnet} sent: it has opened the answering pipe. Until then the service keeps
     * its own end open, or what it answered would go with the pipe.
     */
    static final byte ATTACHED = 'A';
    static final byte STDOUT = 'O';
    static final byte STDERR = 'E';
    static final byte EXIT = 'X';
    static final byte IN_PROCESS = 'P';

    /** The line that ends the answer to a {@link Request#shell} client, before the exit status. */
    static final String SHELL_EXIT = "exit ";
    /** The line that declines a {@link Request#shell} client's command, before the reason: the client starts its JVM. */
    static final String SHELL_IN_PROCESS = "in-process ";

    /** Frames longer than this are refused: nothing we send comes near it, a corrupt length would. */
    private static final int MAX_FRAME = 16 << 20;

    private ServiceProtocol() {}

    /**
     * A command as the client was asked to run it. The client's environment and working folder are not sent
     * (since version 2): the service reads them where the kernel keeps them ({@code /proc/PID}), which costs it
     * microseconds and the client, whose code runs interpreted, milliseconds. The request keeps their places,
     * empty, so that a service of version 1 still reads it, declines it and steps down for the newer build.
     *
     * @param version the client's {@link #VERSION}
     * @param args the command line, global options included
     * @param pid the client's process: its environment, working folder and standard streams are the command's
     * @param namespaces the client's network and mount namespaces ({@code net:[…] mnt:[…]}) and build: the
     *     service serves only clients that see the same kernel objects and files as it does. Empty in a request
     *     {@code bin/ctrnet} wrote, whose shell builtins cannot read them: it sends only to a service of its own
     *     build, and the service compares the namespaces of process {@code pid} with its own
     * @param shell whether the client is {@code bin/ctrnet}'s shell itself, which starts no JVM: the service writes the
     *     command's output to the client's standard output and error itself, and answers with one line of text,
     *     {@link #SHELL_EXIT} and the status, or {@link #SHELL_IN_PROCESS} and why
     * @param stdio the client's descriptors of the command's standard input, output and error: {@code bin/ctrnet}'s
     *     shell sends copies of its own, which stay put while it writes the request ({@code printf >&N} moves its
     *     descriptor 1 for that while)
     * @param line the descriptor by which the client holds the line's request pipe, or -1: the service checks that
     *     process {@code pid} (a shell's {@code $$}, which names another process in another PID namespace) does
     */
    record Request(int version, List<String> args, long pid, String namespaces, boolean shell, List<Integer> stdio,
            int line) {
        /** The standard input, output and error of a process that has not moved them. */
        static final List<Integer> STANDARD = List.of(0, 1, 2);

        Request {
            args = List.copyOf(args);
            stdio = List.copyOf(stdio);
            if (stdio.size() != 3) {
                throw new IllegalArgumentException("three descriptors, not " + stdio);
            }
        }

        /** A request of the JVM client's. */
        Request(int version, List<String> args, long pid, String namespaces) {
            this(version, args, pid, namespaces, false, STANDARD, -1);
        }

        /**
         * Whether {@code bin/ctrnet} sent it: then, unless {@link #shell}, the client's JVM starts meanwhile and says
         * {@link #ATTACHED}.
         */
        boolean fromLauncher() {
            return namespaces.isEmpty();
        }

        byte[] encode() {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            try {
                out.writeInt(version);
                out.writeInt(args.size());
                for (String arg : args) {
                    writeString(out, arg);
                }
                out.writeInt(0); // the environment's place
                writeString(out, ""); // the working folder's
                out.writeLong(pid);
                writeString(out, namespaces);
                out.writeBoolean(shell);
                for (int fd : stdio) {
                    out.writeInt(fd);
                }
                out.writeInt(line);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("writing to memory", e);
            }
            return bytes.toByteArray();
        }

        static Request decode(byte[] bytes) throws IOException {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
            int version = in.readInt();
            List<String> args = readStrings(in);
            // a version 1 client's environment and working folder: such a client is declined for its version
            int envSize = in.readInt();
            for (int i = 0; i < 2 * envSize + 1; i++) {
                readString(in);
            }
            long pid = in.readLong();
            String namespaces = readString(in);
            if (in.available() == 0) {
                return new Request(version, args, pid, namespaces); // a version 1 or 2 client's
            }
            boolean shell = in.readBoolean();
            List<Integer> stdio = List.of(in.readInt(), in.readInt(), in.readInt());
            return new Request(version, args, pid, namespaces, shell, stdio, in.readInt());
        }
    }

    /** One frame read from the other side. */
    record Frame(byte type, byte[] payload) {
        int asInt() {
            return java.nio.ByteBuffer.wrap(payload).getInt();
        }

        String asString() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    static void write(DataOutputStream out, byte type, byte[] payload) throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(payload.length);
            out.write(payload);
            out.flush();
        }
    }

    static void writeInt(DataOutputStream out, byte type, int value) throws IOException {
        write(out, type, java.nio.ByteBuffer.allocate(4).putInt(value).array());
    }

    static void writeString(DataOutputStream out, byte type, String value) throws IOException {
        write(out, type, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Frames read from {@code in}, one of a {@link ServiceLine}'s pipes. */
    static DataInputStream input(java.io.InputStream in) {
        return new DataInputStream(new java.io.BufferedInputStream(in));
    }

    /** Frames written to {@code out}, one of a {@link ServiceLine}'s pipes; each frame is flushed whole. */
    static DataOutputStream output(java.io.OutputStream out) {
        return new DataOutputStream(new java.io.BufferedOutputStream(out));
    }

    /** The next frame, or empty at the end of the stream. */
    static Optional<Frame> read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return Optional.empty();
        }
        try {
            int length = in.readInt();
            if (length < 0 || length > MAX_FRAME) {
                throw new IOException("a frame of " + length + " bytes: not a ctrnet service");
            }
            byte[] payload = in.readNBytes(length);
            if (payload.length != length) {
                throw new EOFException("the frame ended early");
            }
            return Optional.of(new Frame((byte) type, payload));
        } catch (EOFException e) {
            return Optional.empty();
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(readString(in));
        }
        return out;
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("a string of " + length + " bytes in a request");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
