package org.detcon.service.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route of the API: method, path template ({@code /v1/jobs/{id}}), whether it needs the token. The table in
 * {@link Api#ROUTES} is what the server dispatches on and what the test holds {@code openapi.json} to.
 */
public record Route(String method, String template, boolean authenticated) {

    /** The template as a regex; {@code {id}} is a positive number. */
    public Pattern pattern() {
        return Pattern.compile("^" + template.replace("{id}", "([0-9]{1,18})") + "$");
    }

    /** The {@code id} in {@code path}, or -1; null when the path is not this route's. */
    public Long match(String method, String path) {
        if (!this.method.equals(method)) {
            return null;
        }
        Matcher m = pattern().matcher(path);
        if (!m.matches()) {
            return null;
        }
        return m.groupCount() > 0 ? Long.parseLong(m.group(1)) : -1L;
    }
}
