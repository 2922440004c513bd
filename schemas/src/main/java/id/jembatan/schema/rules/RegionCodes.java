package id.jembatan.schema.rules;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Ministry of Home Affairs region codes (province 2, regency/city 4, district 6, village 10 digits) that address
 * codes and the region prefixes of NIK and family-card numbers are looked up in.
 *
 * <p>Immutable and thread-safe once built. {@link #official()} is the 2025 list shipped in this module
 * ({@code region-codes/kemendagri-2025.csv}, see the {@code NOTICE.md} beside it), read once on first use.
 */
public final class RegionCodes {

    /** Classpath location of the official list. */
    public static final String OFFICIAL_RESOURCE = "region-codes/kemendagri-2025.csv";

    private static final List<String> HEADER = List.of("code", "name", "level");
    private static final int[] DIGITS_BY_LEVEL = {0, 2, 4, 6, 10};

    private final Map<String, String> names;
    private final int[] countByLevel = new int[DIGITS_BY_LEVEL.length];

    /**
     * Reads a region-code list in the format of the official file: UTF-8 CSV (RFC 4180 quoting, CRLF or LF line
     * ends) with the header {@code code,name,level}. The stream is read to its end but not closed.
     *
     * @throws IllegalArgumentException if the content is not such a list (bad header, quoting, code, level or a
     *                                  duplicate code); the message names the line
     * @throws UncheckedIOException     if the stream cannot be read
     */
    public RegionCodes(InputStream csv) {
        // 91,599 official codes: size the table once instead of rehashing five times while loading.
        this.names = new HashMap<>(131_072);
        Reader reader = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)), 64 * 1024);
        try {
            load(new CsvRecords(reader));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("region codes are not valid UTF-8", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read region codes", e);
        }
    }

    /** The official 2025 list from the classpath, loaded once on first use and shared. */
    public static RegionCodes official() {
        return Official.INSTANCE;
    }

    /** Whether {@code code} is an existing region code of any level (exact digits, no dots). */
    public boolean exists(String code) {
        return code != null && names.containsKey(code);
    }

    /** The official name of the region, empty if the code does not exist. */
    public Optional<String> name(String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(names.get(code));
    }

    /**
     * The level of an existing code: 1 province, 2 regency or city, 3 district, 4 village; 0 if the code does not
     * exist.
     */
    public int level(String code) {
        return exists(code) ? levelOfLength(code.length()) : 0;
    }

    /** How many codes of the given level (1 to 4) the list holds. */
    public int count(int level) {
        if (level < 1 || level >= countByLevel.length) {
            throw new IllegalArgumentException("level must be 1 to 4: " + level);
        }
        return countByLevel[level];
    }

    /**
     * The codes one level below {@code parent}, in ascending order: the provinces for the empty string, the regencies
     * and cities of a province, the districts of a regency, the villages of a district; empty for an unknown code or
     * a village.
     */
    public List<String> children(String parent) {
        if (parent == null || !(parent.isEmpty() || exists(parent))) {
            return List.of();
        }
        int level = levelOfLength(parent.length());
        if (level + 1 >= DIGITS_BY_LEVEL.length) {
            return List.of();
        }
        int digits = DIGITS_BY_LEVEL[level + 1];
        return names.keySet().stream().filter(c -> c.length() == digits && c.startsWith(parent)).sorted().toList();
    }

    /** How many codes the list holds in all. */
    public int size() {
        return names.size();
    }

    private void load(CsvRecords records) throws IOException {
        List<String> header = records.next();
        if (header != null && !header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
            // A byte order mark, as spreadsheet exports write it, is not part of the first column's name.
            header = new ArrayList<>(header);
            header.set(0, header.get(0).substring(1));
        }
        if (header == null || !header.equals(HEADER)) {
            throw new IllegalArgumentException("line 1: expected the header code,name,level but found " + header);
        }
        List<String> row;
        while ((row = records.next()) != null) {
            int line = records.recordStartLine();
            if (row.size() == 1 && row.get(0).isEmpty()) {
                continue;
            }
            if (row.size() != 3) {
                throw new IllegalArgumentException("line " + line + ": expected 3 fields but found " + row.size());
            }
            String code = row.get(0);
            int level = parseLevel(row.get(2), line);
            if (!isDigits(code) || code.length() != DIGITS_BY_LEVEL[level]) {
                throw new IllegalArgumentException("line " + line + ": code " + code + " is not a level " + level
                        + " code of " + DIGITS_BY_LEVEL[level] + " digits");
            }
            if (row.get(1).isBlank()) {
                throw new IllegalArgumentException("line " + line + ": code " + code + " has no name");
            }
            if (names.putIfAbsent(code, row.get(1)) != null) {
                throw new IllegalArgumentException("line " + line + ": duplicate code " + code);
            }
            countByLevel[level]++;
        }
    }

    private static int parseLevel(String value, int line) {
        if (value.length() == 1 && value.charAt(0) >= '1' && value.charAt(0) <= '4') {
            return value.charAt(0) - '0';
        }
        throw new IllegalArgumentException("line " + line + ": level must be 1 to 4 but is '" + value + "'");
    }

    private static int levelOfLength(int length) {
        for (int level = 1; level < DIGITS_BY_LEVEL.length; level++) {
            if (DIGITS_BY_LEVEL[level] == length) {
                return level;
            }
        }
        return 0;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Lazy holder: the JVM loads the official list on the first call of {@link #official()}, exactly once. */
    private static final class Official {
        static final RegionCodes INSTANCE = loadOfficial();

        private static RegionCodes loadOfficial() {
            try (InputStream in = RegionCodes.class.getClassLoader().getResourceAsStream(OFFICIAL_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(OFFICIAL_RESOURCE + " is missing from the classpath");
                }
                return new RegionCodes(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + OFFICIAL_RESOURCE, e);
            }
        }
    }

    /**
     * RFC 4180 records: fields separated by commas, records by CRLF (a bare LF is accepted too), fields optionally
     * enclosed in double quotes, inside which commas and line breaks are data and {@code ""} is one quote.
     */
    private static final class CsvRecords {
        private static final int EOF = -1;

        private final Reader in;
        private final StringBuilder field = new StringBuilder(64);
        private int line = 1;
        private int recordStartLine;
        private int pushedBack = Integer.MIN_VALUE;

        CsvRecords(Reader in) {
            this.in = in;
        }

        /** The line on which the record last returned by {@link #next()} began. */
        int recordStartLine() {
            return recordStartLine;
        }

        /** The next record, or {@code null} at the end of the input. */
        List<String> next() throws IOException {
            int c = read();
            if (c == EOF) {
                return null;
            }
            recordStartLine = line;
            List<String> fields = new ArrayList<>(3);
            while (true) {
                field.setLength(0);
                if (c == '"') {
                    c = readQuoted();
                } else {
                    while (c != ',' && c != '\r' && c != '\n' && c != EOF) {
                        if (c == '"') {
                            throw new IllegalArgumentException("line " + line + ": quote inside an unquoted field");
                        }
                        field.append((char) c);
                        c = read();
                    }
                }
                fields.add(field.toString());
                if (c == ',') {
                    c = read();
                    continue;
                }
                endRecord(c);
                return Collections.unmodifiableList(fields);
            }
        }

        /** Reads a quoted field after its opening quote; answers the character following the closing quote. */
        private int readQuoted() throws IOException {
            int startLine = line;
            while (true) {
                int c = read();
                if (c == EOF) {
                    throw new IllegalArgumentException("line " + startLine + ": quoted field is not closed");
                }
                if (c == '"') {
                    int after = read();
                    if (after != '"') {
                        if (after != ',' && after != '\r' && after != '\n' && after != EOF) {
                            throw new IllegalArgumentException("line " + line + ": text after a closing quote");
                        }
                        return after;
                    }
                }
                if (c == '\n') {
                    line++;
                }
                field.append((char) c);
            }
        }

        private void endRecord(int c) throws IOException {
            if (c == '\r') {
                int after = read();
                if (after != '\n' && after != EOF) {
                    pushedBack = after;
                }
            }
            if (c != EOF) {
                line++;
            }
        }

        private int read() throws IOException {
            if (pushedBack != Integer.MIN_VALUE) {
                int c = pushedBack;
                pushedBack = Integer.MIN_VALUE;
                return c;
            }
            return in.read();
        }
    }
}
