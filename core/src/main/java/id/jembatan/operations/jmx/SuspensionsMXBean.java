package id.jembatan.operations.jmx;

/**
 * {@code id.jembatan:type=Suspensions}: suspending and reinstating any configured agency, also one events are not
 * delivered to (the owner agency), for JConsole and Hawtio.
 */
public interface SuspensionsMXBean {

    /** The suspended agencies' ids. */
    String[] getSuspended();

    /** Suspends the agency (a reason is required); false if it was suspended already. */
    boolean suspend(String agency, String reason) throws Exception;

    /** Reinstates the agency; false if it was not suspended. */
    boolean reinstate(String agency, String reason) throws Exception;
}
