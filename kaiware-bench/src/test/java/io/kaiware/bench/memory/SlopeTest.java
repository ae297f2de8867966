package io.kaiware.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SlopeTest {
    @Test
    void exactLine() {
        double[] x = {0, 1, 2, 3, 4};
        double[] y = {1, 3, 5, 7, 9};
        assertThat(Slope.leastSquares(x, y, 5)).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void noisyLineFitsByLeastSquares() {
        double[] x = {1, 2, 3, 4};
        double[] y = {6, 5, 7, 10};
        // mean x 2.5, mean y 7; sxy = (-1.5)(-1)+(-0.5)(-2)+(0.5)(0)+(1.5)(3) = 7; sxx = 5
        assertThat(Slope.leastSquares(x, y, 4)).isCloseTo(1.4, within(1e-12));
    }

    @Test
    void usesOnlyTheFirstNPoints() {
        double[] x = {0, 1, 2, 100};
        double[] y = {0, -1, -2, 1e9};
        assertThat(Slope.leastSquares(x, y, 3)).isCloseTo(-1.0, within(1e-12));
    }

    @Test
    void undefinedWithTooFewPoints() {
        assertThat(Slope.leastSquares(new double[] {1}, new double[] {1}, 1)).isNaN();
        assertThat(Slope.leastSquares(new double[] {2, 2}, new double[] {1, 5}, 2)).isNaN();
    }
}
