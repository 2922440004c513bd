package id.jembatan.config;

import id.jembatan.agency.AgencyDirectory;
import id.jembatan.api.AgencyAuthentication;
import id.jembatan.api.ApiKeyAuthenticationFilter;
import id.jembatan.api.BodySizeLimitFilter;
import id.jembatan.api.Problems;
import id.jembatan.schema.error.ErrorCode;
import id.jembatan.settings.JembatanProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Who may call what over HTTP: agencies authenticate with {@code X-API-Key}; refusals are problem+json
 * (401 {@code AGENCY_UNAUTHENTICATED}, 403); bodies over the limit are refused before they are read.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, AgencyDirectory agencies, Problems problems,
                                    JembatanProperties properties) throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/api/v1/**", "/fhir/**").hasRole(AgencyAuthentication.ROLE)
                        .anyRequest().denyAll())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> problems.write(response,
                                ErrorCode.AGENCY_UNAUTHENTICATED, "Send the agency's API key in the "
                                        + ApiKeyAuthenticationFilter.HEADER + " header"))
                        .accessDeniedHandler((request, response, ex) -> problems.write(response,
                                ErrorCode.POLICY_DENIED, "This caller may not use this resource")))
                .addFilterBefore(new ApiKeyAuthenticationFilter(agencies, problems),
                        AnonymousAuthenticationFilter.class)
                .addFilterAfter(new BodySizeLimitFilter(properties.getIngest().getMaxBodyBytes(), problems),
                        ApiKeyAuthenticationFilter.class);
        return http.build();
    }
}
