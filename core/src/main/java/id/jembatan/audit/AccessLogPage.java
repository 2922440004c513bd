package id.jembatan.audit;

import java.util.List;

/** One page of a citizen's access log, newest first, with the total number of entries for paging. */
public record AccessLogPage(String nik, int offset, int limit, long total, List<AccessLogEntry> items) {

    public AccessLogPage {
        items = List.copyOf(items);
    }
}
