package id.jembatan.it;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;

import java.util.Set;

/**
 * Keeps the libraries of the HAPI FHIR JPA server on the test classpath ({@link HapiJpaServer}: Hibernate, Spring
 * Data, Quartz, an Elasticsearch client, Thymeleaf) from switching on Spring Boot auto-configuration in the bus under
 * test, which the bus as shipped does not have: without this filter the bus got a JPA EntityManagerFactory on its
 * own database and a JpaTransactionManager in place of its JDBC one (its ingest answered 503), a Quartz scheduler,
 * and an Elasticsearch client sniffing for a server. Registered in this module's test {@code META-INF/spring.factories},
 * so it applies to every bus started from the test classpath (ITs, benchmark) and to nothing shipped.
 *
 * <p>The list: the auto-configurations whose class conditions the test classpath meets and the bus's runtime
 * classpath does not, among them those that come with the JPA server's libraries (Spring Boot 3.5.16, HAPI FHIR
 * 8.8.0). {@code HealthAgencyServersIT} checks that the bus has none of those beans.
 */
public final class HapiJpaServerLibrariesFilter implements AutoConfigurationImportFilter {

    static final Set<String> VETOED = Set.of(
            "org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration",
            "org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration",
            "org.springframework.boot.autoconfigure.data.web.SpringDataWebAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.data.RepositoryMetricsAutoConfiguration",
            "org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.quartz.QuartzEndpointAutoConfiguration",
            "org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration",
            "org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.elasticsearch"
                    + ".ElasticsearchRestHealthContributorAutoConfiguration",
            "org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration",
            "org.springframework.boot.autoconfigure.websocket.servlet.WebSocketMessagingAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.mail.MailHealthContributorAutoConfiguration");

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < autoConfigurationClasses.length; i++) {
            matches[i] = autoConfigurationClasses[i] == null || !VETOED.contains(autoConfigurationClasses[i]);
        }
        return matches;
    }
}
