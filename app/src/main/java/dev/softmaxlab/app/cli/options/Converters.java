package dev.softmaxlab.app.cli.options;

import dev.softmaxlab.core.loss.LossPath;
import dev.softmaxlab.core.loss.LossPaths;
import dev.softmaxlab.core.loss.Reduction;
import dev.softmaxlab.core.precision.Precision;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Turns option values into domain objects. A bad value becomes a picocli {@link TypeConversionException}, which the
 * command line prints as one line naming the option, then this message: the value and the valid choices. Exit 2.
 */
public final class Converters {

    private Converters() {
    }

    /** A loss path id, e.g. {@code fused}. */
    public static final class PathConverter implements ITypeConverter<LossPath> {
        @Override
        public LossPath convert(String value) {
            String id = value.trim();
            for (LossPath p : LossPaths.all()) {
                if (p.id().equals(id)) {
                    return p;
                }
            }
            throw new TypeConversionException(
                    "unknown path '" + value + "': expected one of " + Choices.join(new Choices.PathIds()));
        }
    }

    /** A precision id, e.g. {@code bf16}. */
    public static final class PrecisionConverter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            String id = value.trim();
            for (Precision p : Precision.values()) {
                if (p.id().equals(id)) {
                    return p;
                }
            }
            throw new TypeConversionException(
                    "unknown precision '" + value + "': expected one of " + Choices.join(new Choices.PrecisionIds()));
        }
    }

    /** A reduction id, e.g. {@code mean}. */
    public static final class ReductionConverter implements ITypeConverter<Reduction> {
        @Override
        public Reduction convert(String value) {
            String id = value.trim();
            for (Reduction r : Reduction.values()) {
                if (r.id().equals(id)) {
                    return r;
                }
            }
            throw new TypeConversionException(
                    "unknown reduction '" + value + "': expected one of " + Choices.join(new Choices.ReductionIds()));
        }
    }

    /** A finite decimal number; names the value when it is not one. */
    public static final class FiniteDoubleConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double d;
            try {
                d = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number: give a decimal such as 0.1");
            }
            if (!Double.isFinite(d)) {
                throw new TypeConversionException("'" + value + "' is not finite: give a finite decimal such as 0.1");
            }
            return d;
        }
    }
}
