package id.jembatan.config;

import ca.uhn.fhir.rest.server.RestfulServer;
import id.jembatan.api.fhir.BulkExportProvider;
import id.jembatan.api.fhir.DeathReportProvider;
import id.jembatan.api.fhir.JembatanFhirServer;
import id.jembatan.api.fhir.PatientLookupProvider;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.export.BulkExportSettings;
import id.jembatan.export.BulkExports;
import id.jembatan.lookup.LookupService;
import id.jembatan.notification.NotificationRouting;
import id.jembatan.policy.AccessPolicy;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * The bus's own FHIR R4 endpoint under {@code /fhir}: Patient lookups by NIK and Bulk Data exports for health
 * agencies, and their death reports ({@code POST /fhir/Patient/$report-death}). Its refusals are
 * OperationOutcomes with Jembatan's stable codes ({@link FhirRefusals}); its answers do not name the library it is
 * built with.
 */
@Configuration(proxyBeanMethods = false)
public class FhirLookupConfiguration {

    @Bean
    ServletRegistrationBean<RestfulServer> fhirLookupServlet(LookupService lookups, AccessPolicy policy,
                                                             BulkExports exports, BulkExportSettings exportSettings,
                                                             NotificationRouting notifications, Clock clock) {
        RestfulServer server = new JembatanFhirServer(HealthFhir.context(), new PatientLookupProvider(lookups, policy),
                new BulkExportProvider(exports, policy, exportSettings),
                new DeathReportProvider(HealthFhir.context(), notifications, clock));
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhirLookup");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
