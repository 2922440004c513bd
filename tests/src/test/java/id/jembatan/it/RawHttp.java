package id.jembatan.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 over a plain socket, byte for byte as told, for the requests no well-behaved client sends: a broken
 * request line, a raw {@code |}, 20 KB of headers, a head or a body that trickles in, 64 MB of chunked form. It sends
 * from a thread of its own while it reads, so it sees an answer that comes before the request is sent, and when the
 * bus closes the connection.
 */
final class RawHttp {

    private RawHttp() {
    }

    /**
     * What to send: the head (request line and headers, sent whole, or a byte at a time {@code pause} apart when
     * {@code tricklingHead}), then the body's pieces, {@code pause} apart.
     */
    record Request(byte[] head, boolean tricklingHead, Iterable<byte[]> body, Duration pause) {

        static Request of(String head) {
            return new Request(ascii(head), false, List.of(), Duration.ZERO);
        }

        Request withBody(Iterable<byte[]> pieces, Duration pauseBetween) {
            return new Request(head, tricklingHead, pieces, pauseBetween);
        }

        Request trickled(Duration pauseBetweenBytes) {
            return new Request(head, true, body, pauseBetweenBytes);
        }
    }

    /**
     * What came back: the status (0 when no answer came), headers with lower-case names, the body (de-chunked),
     * when the answer's first byte came and when the connection was closed (null: still open when the wait ended),
     * measured from the first byte sent, and how many body bytes the socket took before the bus closed it.
     */
    record Answer(int status, Map<String, List<String>> headers, String body, Duration answeredAfter,
                  Duration closedAfter, long bodyBytesSent, boolean sentAll) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }
    }

    /** The body's pieces: {@code count} times the same piece (64 MB without holding 64 MB). */
    static Iterable<byte[]> repeat(byte[] piece, int count) {
        return () -> new Iterator<>() {
            private int left = count;

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public byte[] next() {
                left--;
                return piece;
            }
        };
    }

    /** {@code total} bytes of form body ({@code a=bbbb...}) as HTTP/1.1 chunks of 64 KiB, then the last chunk. */
    static Iterable<byte[]> chunkedForm(long total) {
        byte[] data = new byte[65536];
        java.util.Arrays.fill(data, (byte) 'b');
        data[0] = 'a';
        data[1] = '=';
        byte[] chunk = concat(ascii(Integer.toHexString(data.length) + "\r\n"), data, ascii("\r\n"));
        int count = (int) (total / data.length);
        List<byte[]> last = List.of(ascii("0\r\n\r\n"));
        return () -> new Iterator<>() {
            private final Iterator<byte[]> chunks = repeat(chunk, count).iterator();
            private final Iterator<byte[]> end = last.iterator();

            @Override
            public boolean hasNext() {
                return chunks.hasNext() || end.hasNext();
            }

            @Override
            public byte[] next() {
                return chunks.hasNext() ? chunks.next() : end.next();
            }
        };
    }

    /** Sends the request to {@code 127.0.0.1:port} and waits at most {@code wait} for the answer and the close. */
    static Answer send(int port, Request request, Duration wait) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            long start = System.nanoTime();
            AtomicBoolean closed = new AtomicBoolean();
            AtomicLong bodySent = new AtomicLong();
            AtomicBoolean sentAll = new AtomicBoolean();
            Thread writer = new Thread(() -> write(socket, request, closed, bodySent, sentAll), "raw-http-writer");
            writer.setDaemon(true);
            writer.start();

            ByteArrayOutputStream received = new ByteArrayOutputStream();
            long answered = -1;
            long closedAt = -1;
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            long deadline = start + wait.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    break;
                } catch (IOException e) {
                    n = -1; // reset by the bus: closed
                }
                if (n < 0) {
                    closedAt = System.nanoTime();
                    break;
                }
                if (answered < 0) {
                    answered = System.nanoTime();
                }
                received.write(buffer, 0, n);
            }
            closed.set(true);
            writer.interrupt();
            return parse(received.toByteArray(), answered < 0 ? null : Duration.ofNanos(answered - start),
                    closedAt < 0 ? null : Duration.ofNanos(closedAt - start), bodySent.get(), sentAll.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Socket socket, Request request, AtomicBoolean closed, AtomicLong bodySent,
                              AtomicBoolean sentAll) {
        try {
            OutputStream out = socket.getOutputStream();
            if (request.tricklingHead()) {
                for (byte b : request.head()) {
                    if (closed.get()) {
                        return;
                    }
                    out.write(b);
                    out.flush();
                    Thread.sleep(request.pause().toMillis());
                }
            } else {
                out.write(request.head());
                out.flush();
            }
            for (byte[] piece : request.body()) {
                if (closed.get()) {
                    return;
                }
                if (!request.pause().isZero()) {
                    Thread.sleep(request.pause().toMillis());
                }
                out.write(piece);
                out.flush();
                bodySent.addAndGet(piece.length);
            }
            sentAll.set(true);
        } catch (IOException | InterruptedException e) {
            // The bus closed the connection (or the test is over): stop sending.
        }
    }

    private static Answer parse(byte[] raw, Duration answered, Duration closed, long bodySent, boolean sentAll) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || headEnd < 0) {
            return new Answer(0, Map.of(), text, answered, closed, bodySent, sentAll);
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>()).add(lines[i].substring(colon + 1).strip());
        }
        byte[] rest = java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length);
        List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
        List<String> length = headers.getOrDefault("content-length", List.of());
        byte[] body;
        if (encoding.contains("chunked")) {
            body = dechunk(rest);
        } else if (!length.isEmpty()) {
            body = java.util.Arrays.copyOf(rest, Math.min(rest.length, Integer.parseInt(length.get(0))));
        } else {
            body = rest;
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8), answered, closed, bodySent,
                sentAll);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(chunked, at);
            if (lineEnd < 0) {
                break;
            }
            String sizeLine = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            body.write(chunked, start, Math.min(size, chunked.length - start));
            at = start + size + 2;
        }
        return body.toByteArray();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
