package id.jembatan.connector.tax;

import javax.xml.datatype.XMLGregorianCalendar;
import java.time.OffsetDateTime;

/** For tests: an {@code xs:dateTime} of a tax document read back, to compare with the event's timestamp. */
public final class XmlTimestamps {

    private XmlTimestamps() {
    }

    /** The instant and offset of an {@code xs:dateTime} value that carries an offset. */
    public static OffsetDateTime offsetDateTime(XMLGregorianCalendar timestamp) {
        return timestamp == null ? null : OffsetDateTime.parse(timestamp.toXMLFormat());
    }
}
