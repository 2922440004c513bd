package id.jembatan.config;

import ca.uhn.fhir.rest.server.RestfulServer;
import id.jembatan.api.fhir.JembatanFhirServer;
import id.jembatan.api.fhir.PatientLookupProvider;
import id.jembatan.connector.health.HealthFhir;
import id.jembatan.lookup.LookupService;
import id.jembatan.policy.AccessPolicy;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bus's own FHIR R4 endpoint under {@code /fhir}: Patient lookups by NIK for health agencies. Its refusals are
 * OperationOutcomes with Jembatan's stable codes ({@link FhirRefusals}); its answers do not name the library it is
 * built with.
 */
@Configuration(proxyBeanMethods = false)
public class FhirLookupConfiguration {

    @Bean
    ServletRegistrationBean<RestfulServer> fhirLookupServlet(LookupService lookups, AccessPolicy policy) {
        RestfulServer server = new JembatanFhirServer(HealthFhir.context(), new PatientLookupProvider(lookups, policy));
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhirLookup");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
