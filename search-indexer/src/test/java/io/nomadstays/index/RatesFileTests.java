package io.nomadstays.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class RatesFileTests {

    @Test
    void readsTheShippedFile() throws Exception {
        try (Reader reader = Files.newBufferedReader(IndexerIntegrationTest.SHIPPED_RATES, StandardCharsets.UTF_8)) {
            RatesRefresh.RatesFile file = RatesRefresh.RatesFile.parse(reader, "exchange-rates.csv");
            assertThat(file.asOf()).isEqualTo(LocalDate.of(2026, 11, 27));
            assertThat(file.usdPerUnit()).containsEntry("USD", BigDecimal.ONE).containsKey("IDR").hasSizeGreaterThan(50);
        }
    }

    @Test
    void refusesWhatItCannotTrust() {
        assertThatThrownBy(() -> parse("USD,1\n")).hasMessageContaining("no as_of");
        assertThatThrownBy(() -> parse("as_of,2026-11-27\n")).hasMessageContaining("no rates");
        assertThatThrownBy(() -> parse("as_of,2026-11-27\nEUR,0\n")).hasMessageContaining("positive");
        assertThatThrownBy(() -> parse("as_of,2026-11-27\neur,1\n")).hasMessageContaining("not a currency code");
        assertThatThrownBy(() -> parse("as_of,2026-11-27\nEUR,1\nEUR,2\n")).hasMessageContaining("twice");
        assertThatThrownBy(() -> parse("as_of,27.11.2026\nEUR,1\n")).hasMessageContaining("test.csv:1");
        assertThatThrownBy(() -> parse("as_of,2026-11-27\nEUR;1\n")).hasMessageContaining("test.csv:2");
    }

    private static RatesRefresh.RatesFile parse(String text) throws Exception {
        return RatesRefresh.RatesFile.parse(new StringReader(text), "test.csv");
    }
}
