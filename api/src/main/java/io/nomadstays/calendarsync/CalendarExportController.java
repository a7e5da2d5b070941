package io.nomadstays.calendarsync;

import java.nio.charset.StandardCharsets;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * GET /calendars/{token}.ics: a unit's export for other listing sites. No sign-in: those sites
 * cannot send our tokens, so the unguessable token in the URL is the credential (rotated with
 * rotateIcalExportUrl when it leaks).
 */
@RestController
class CalendarExportController {

    static final MediaType TEXT_CALENDAR = new MediaType("text", "calendar", StandardCharsets.UTF_8);

    private final CalendarExport export;

    CalendarExportController(CalendarExport export) {
        this.export = export;
    }

    @GetMapping("/calendars/{token}.ics")
    Mono<ResponseEntity<String>> calendar(@PathVariable String token) {
        return export.calendar(token)
                .map(body -> ResponseEntity.ok()
                        .contentType(TEXT_CALENDAR)
                        // Importers poll every few minutes; a short private cache spares us repeats, no shared cache keeps it.
                        .cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5)).cachePrivate())
                        .header("X-Robots-Tag", "noindex")
                        .body(body))
                .defaultIfEmpty(ResponseEntity.status(HttpStatus.NOT_FOUND).build());
    }
}
