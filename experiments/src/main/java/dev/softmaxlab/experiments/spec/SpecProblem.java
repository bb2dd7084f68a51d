package dev.softmaxlab.experiments.spec;

/**
 * One thing wrong with a spec, located by its JSON path ({@code $.grid.logitScale[2]}) or, for a file that is not
 * JSON, by line and column.
 */
public record SpecProblem(String where, String message) {

    @Override
    public String toString() {
        return where + ": " + message;
    }
}
