package dev.softmaxlab.experiments.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.softmaxlab.experiments.io.UserText;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place Jackson's parse errors are put in the tool's words, for every JSON reader (spec, config, JSON Lines
 * cases, sweep summaries and run files). Jackson's messages name its own features and classes
 * ({@code JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS}, "Source: REDACTED", {@code StreamReadConstraints}); a user
 * needs the line, the column, what is wrong and how to write it instead.
 */
public final class JsonErrors {

    /**
     * A JSON syntax problem.
     *
     * @param where   "line L, column C", or null when the parser gave no location
     * @param message what is wrong and the fix, in the tool's words
     */
    public record Problem(String where, String message) {
        /** "line 3, column 7: message", or the message alone. */
        @Override
        public String toString() {
            return where == null ? message : where + ": " + message;
        }
    }

    private static final Pattern NON_NUMERIC = Pattern.compile("Non-standard token '([-+]?\\w+)'.*", Pattern.DOTALL);
    private static final Pattern UNRECOGNIZED = Pattern.compile("Unrecognized token '(.*?)'.*", Pattern.DOTALL);
    private static final Pattern UNEXPECTED_CHAR =
            Pattern.compile("Unexpected character \\((.*?) \\(code \\d+\\)\\):? ?(.*)", Pattern.DOTALL);
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) '(.*?)'.*",
            Pattern.DOTALL);
    /** Jackson's internals inside its messages: a bracketed source, a backticked class or feature, a feature hint. */
    private static final Pattern INTERNALS = Pattern.compile(
            "\\s*\\((?:start marker at |for )?\\[Source:.*?]\\)|\\s*\\[Source:.*?]|`[^`]*`|\\s*\\((?:through|bound as|"
                    + "not recognized|from)[^)]*\\)|\\s*\\(?(?:since )?Feature '[A-Z_]+' not enabled[^)]*\\)?",
            Pattern.DOTALL);

    private JsonErrors() {
    }

    /** The problem of a failed parse, in the tool's words. */
    public static Problem describe(JsonProcessingException e) {
        return new Problem(where(e.getLocation()), message(e));
    }

    private static String where(JsonLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return null;
        }
        return "line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static String message(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            return constraint(m);
        }
        Matcher x;
        if ((x = NON_NUMERIC.matcher(m)).matches()) {
            String token = x.group(1);
            String named = token.replace("+", "").equalsIgnoreCase("nan") ? "NaN"
                    : token.startsWith("-") ? "-Infinity" : "Infinity";
            return "bare " + token + " is not JSON: write it as the string \"" + named + "\"";
        }
        if ((x = UNRECOGNIZED.matcher(m)).matches()) {
            String token = x.group(1);
            if (token.matches("(?i)[-+]?(nan|inf|infinity)")) {
                return "bare " + UserText.quote(token) + " is not JSON: write it as the string \""
                        + (token.toLowerCase().contains("nan") ? "NaN" : token.startsWith("-") ? "-Infinity"
                        : "Infinity") + "\"";
            }
            return "unexpected word " + UserText.quote(token) + ": a value is a number, a \"string\", true, false, "
                    + "null, an [array] or an {object}";
        }
        if (m.startsWith("Unexpected end-of-input")) {
            return "the text ends in the middle of the JSON (truncated?): close every open { and [ and \"";
        }
        if ((x = DUPLICATE.matcher(m)).matches()) {
            return "key " + UserText.quote(x.group(1)) + " appears twice in one object: keep one";
        }
        if ((x = UNEXPECTED_CHAR.matcher(m)).matches()) {
            String rest = clean(x.group(2));
            return "unexpected character " + x.group(1).replace("((CTRL-CHAR", "(control character")
                    + (rest.isEmpty() ? "" : ": " + rest);
        }
        if (e instanceof MismatchedInputException && m.startsWith("Trailing token")) {
            return "more text after the JSON value: a file holds one JSON document";
        }
        if (m.startsWith("Invalid UTF-8")) {
            return "not UTF-8 text (" + clean(m) + "): save the file as UTF-8";
        }
        if (m.startsWith("Illegal unquoted character")) {
            return "a control character inside a string: write it escaped, e.g. \\n or \\t";
        }
        if (m.contains("Leading zeroes not allowed")) {
            return "a number with a leading zero: write 7 or 0.7, not 07";
        }
        return clean(m);
    }

    private static String constraint(String m) {
        StreamReadConstraints c = StreamReadConstraints.defaults();
        if (m.contains("nesting depth") || m.contains("Nesting depth")) {
            return "nested more than " + c.getMaxNestingDepth() + " levels deep: no input of this tool nests that "
                    + "deep; check that the file is the one you meant";
        }
        if (m.startsWith("String value length")) {
            return "holds a string longer than " + c.getMaxStringLength() + " characters: no value of this tool is "
                    + "that long; check that the file is the one you meant";
        }
        if (m.startsWith("Number value length")) {
            return "holds a number longer than " + c.getMaxNumberLength() + " digits: write it with an exponent, "
                    + "e.g. 1.5e300";
        }
        if (m.startsWith("Name length")) {
            return "holds a key longer than " + c.getMaxNameLength() + " characters: check the keys";
        }
        return "too large to read (" + clean(m) + ")";
    }

    /** Jackson's message without its internals, on one line. */
    static String clean(String m) {
        String s = INTERNALS.matcher(m).replaceAll("");
        s = s.replaceAll("\\s+", " ").trim();
        if (s.endsWith(":") || s.endsWith(",")) {
            s = s.substring(0, s.length() - 1);
        }
        return UserText.line(s);
    }
}
