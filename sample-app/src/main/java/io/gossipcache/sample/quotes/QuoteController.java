package io.gossipcache.sample.quotes;

import io.gossipcache.sample.web.ApiException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /quotes/{symbol}} (cached), {@code PUT} (recompute and replace), {@code DELETE} (evict). */
@RestController
@RequestMapping("/quotes")
public class QuoteController {

    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9.\\-]{1,16}");

    private final QuoteService quotes;

    public QuoteController(QuoteService quotes) {
        this.quotes = quotes;
    }

    @GetMapping("/{symbol}")
    public Quote get(@PathVariable String symbol) {
        return quotes.quote(normalize(symbol));
    }

    @PutMapping("/{symbol}")
    public Quote refresh(@PathVariable String symbol) {
        return quotes.refresh(normalize(symbol));
    }

    @DeleteMapping("/{symbol}")
    public ResponseEntity<Void> evict(@PathVariable String symbol) {
        quotes.evict(normalize(symbol));
        return ResponseEntity.noContent().build();
    }

    private static String normalize(String symbol) {
        if (!SYMBOL.matcher(symbol).matches()) {
            throw ApiException.badRequest("Invalid symbol '" + symbol + "': 1-16 of A-Z 0-9 . -");
        }
        return symbol.toUpperCase(Locale.ROOT);
    }
}
