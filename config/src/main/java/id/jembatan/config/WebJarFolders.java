package id.jembatan.config;

import org.webjars.WebJarVersionLocator;

/** Where a WebJar the bus serves itself (Swagger UI, ECharts) keeps its files: its version folder on the classpath. */
final class WebJarFolders {

    private WebJarFolders() {
    }

    /** The classpath location of the version folder of the WebJar {@code name} (the root pom chooses the version). */
    static String of(String name) {
        String version = new WebJarVersionLocator().version(name);
        if (version == null) {
            throw new IllegalStateException("no " + name + " WebJar on the classpath");
        }
        return "classpath:/META-INF/resources/webjars/" + name + "/" + version + "/";
    }
}
