package org.selfsup4j.vision.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path dir;

    private void image(Path file, int argb) throws Exception {
        Files.createDirectories(file.getParent());
        ImageDecoderTest.writePng(file, ImageDecoderTest.rgb(4, 4, argb));
    }

    @Test
    void read_classSubfolders_labelsBySortedFolderName() throws Exception {
        image(dir.resolve("zebra/1.png"), 0xFFFFFFFF);
        image(dir.resolve("ant/2.png"), 0xFF000000);
        image(dir.resolve("ant/1.png"), 0xFF000000);
        LabeledImages d = ImageFolder.read(dir);
        assertEquals(List.of("ant", "zebra"), d.classNames());
        assertArrayEquals(new int[] {0, 0, 1}, d.labels());
        assertEquals(1f, d.images().get(2).get(0, 0, 0), 1e-6);
    }

    @Test
    void read_flatFolder_unlabelled() throws Exception {
        image(dir.resolve("a.png"), 0xFF000000);
        image(dir.resolve("b.png"), 0xFF000000);
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        LabeledImages d = ImageFolder.read(dir);
        assertEquals(2, d.size());
        assertArrayEquals(new int[] {-1, -1}, d.labels());
        assertTrue(!d.labelled());
    }

    @Test
    void read_strict_badFileThrowsNamingIt() throws Exception {
        image(dir.resolve("c/ok.png"), 0xFF000000);
        Path bad = Files.createFile(dir.resolve("c/zero.png"));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageFolder.read(dir));
        assertEquals(bad, e.file());
    }

    @Test
    void read_skipBad_countsAndSkipsUnderOnePercent() throws Exception {
        for (int i = 0; i < 199; i++) {
            image(dir.resolve(String.format("c/%03d.png", i)), 0xFF000000);
        }
        Path bad = Files.createFile(dir.resolve("c/zz-zero.png"));
        ImageFolder.Result r = ImageFolder.read(dir, ImageFolder.Options.defaults().withSkipBad(true));
        assertEquals(199, r.images().size());
        assertEquals(List.of(bad), r.badFiles());
    }

    @Test
    void read_skipBad_stopsAboveOnePercent() throws Exception {
        for (int i = 0; i < 98; i++) {
            image(dir.resolve(String.format("c/%03d.png", i)), 0xFF000000);
        }
        Files.createFile(dir.resolve("c/zz-a.png"));
        Files.write(dir.resolve("c/zz-b.png"), new byte[] {1, 2, 3});
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> ImageFolder.read(dir, ImageFolder.Options.defaults().withSkipBad(true)));
        assertTrue(e.getMessage().contains("more than 1.0%"), e.getMessage());
    }

    @Test
    void read_mixedSizesWithoutResize_throws() throws Exception {
        image(dir.resolve("c/a.png"), 0xFF000000);
        ImageDecoderTest.writePng(dir.resolve("c/b.png"), ImageDecoderTest.rgb(5, 4, 0xFF000000));
        assertThrows(ImageDecodeException.class, () -> ImageFolder.read(dir));
    }

    @Test
    void read_skipBad_smallFolderToleratesOneBadFile() throws Exception {
        // floor(1% of 10) = 0 used to make a single bad file fatal in any folder under 100 files.
        for (int i = 0; i < 9; i++) {
            image(dir.resolve(String.format("c/%02d.png", i)), 0xFF000000);
        }
        Path bad = Files.write(dir.resolve("c/zz-bad.png"), new byte[] {1, 2, 3});
        ImageFolder.Result r = ImageFolder.read(dir, ImageFolder.Options.defaults().withSkipBad(true));
        assertEquals(9, r.images().size());
        assertEquals(List.of(bad), r.badFiles());
    }

    @Test
    void read_skipBad_oddSizeImageIsSkippedWithinBudget() throws Exception {
        // One odd-size image used to abort the whole load even with skipping on; it may also come first.
        Path odd = ImageDecoderTest.writePng(Files.createDirectories(dir.resolve("a")).resolve("0-odd.png"),
                ImageDecoderTest.rgb(5, 4, 0xFF000000));
        for (int i = 0; i < 5; i++) {
            image(dir.resolve("a/" + i + ".png"), 0xFF000000);
            image(dir.resolve("b/" + i + ".png"), 0xFFFFFFFF);
        }
        ImageFolder.Result r = ImageFolder.read(dir, ImageFolder.Options.defaults().withSkipBad(true));
        assertEquals(10, r.images().size());
        assertEquals(List.of(odd), r.badFiles());
        for (var img : r.images().images()) {
            assertEquals(4, img.width());
        }
        ImageDecodeException strict = assertThrows(ImageDecodeException.class, () -> ImageFolder.read(dir));
        assertEquals(odd, strict.file());
        assertTrue(strict.getMessage().contains("withImageSize"), strict.getMessage());
    }

    @Test
    void read_skipBad_twoOddSizesInElevenFiles_exceedBudget() throws Exception {
        for (int i = 0; i < 9; i++) {
            image(dir.resolve("c/" + i + ".png"), 0xFF000000);
        }
        ImageDecoderTest.writePng(dir.resolve("c/x.png"), ImageDecoderTest.rgb(5, 4, 0xFF000000));
        ImageDecoderTest.writePng(dir.resolve("c/y.png"), ImageDecoderTest.rgb(4, 6, 0xFF000000));
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> ImageFolder.read(dir, ImageFolder.Options.defaults().withSkipBad(true)));
        assertTrue(e.getMessage().contains("skip budget"), e.getMessage());
        ImageFolder.Result r = ImageFolder.read(dir, ImageFolder.Options.defaults().withSkipBad(true)
                .withMaxBadFraction(0.2));
        assertEquals(9, r.images().size());
    }

    @Test
    void read_withImageSize_resizesMixedSizesToASquare() throws Exception {
        image(dir.resolve("c/a.png"), 0xFFFFFFFF);
        ImageDecoderTest.writePng(dir.resolve("c/b.png"), ImageDecoderTest.rgb(7, 3, 0xFFFFFFFF));
        ImageFolder.Result r = ImageFolder.read(dir, ImageFolder.Options.defaults().withImageSize(8));
        assertEquals(2, r.images().size());
        for (var img : r.images().images()) {
            assertEquals(8, img.height());
            assertEquals(8, img.width());
            assertEquals(1f, img.get(0, 4, 4), 1e-6);
        }
        assertTrue(r.badFiles().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.Options.defaults().withImageSize(-1));
    }

    @Test
    void skipBudget_isAtLeastOneFileAndCeilOfTheFraction() {
        assertEquals(1, ImageFolder.skipBudget(1, ImageFolder.MAX_BAD_FRACTION));
        assertEquals(1, ImageFolder.skipBudget(99, ImageFolder.MAX_BAD_FRACTION));
        assertEquals(1, ImageFolder.skipBudget(100, ImageFolder.MAX_BAD_FRACTION));
        assertEquals(2, ImageFolder.skipBudget(101, ImageFolder.MAX_BAD_FRACTION));
        assertEquals(3, ImageFolder.skipBudget(250, ImageFolder.MAX_BAD_FRACTION));
        assertEquals(1, ImageFolder.skipBudget(50, 0));
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.Options.defaults().withMaxBadFraction(1.5));
    }

    @Test
    void read_flatFolder_hasNoLabelsTheCallerCanDetect() throws Exception {
        image(dir.resolve("a.png"), 0xFF000000);
        image(dir.resolve("b.png"), 0xFFFFFFFF);
        LabeledImages d = ImageFolder.read(dir, ImageFolder.Options.defaults().withSkipBad(true)).images();
        assertTrue(!d.labelled());
        assertEquals(0, d.numClasses());
        assertEquals(List.of(), d.classNames());
    }

    @Test
    void read_notAFolder_throws() {
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.read(dir.resolve("missing")));
    }

    @Test
    void read_realCifarSubsetJpegs() throws Exception {
        String root = System.getProperty("selfsup4j.datasets");
        assumeTrue(root != null && Files.isDirectory(Path.of(root, "cifar10-subset", "val")),
                "shared datasets not available");
        ImageFolder.Result r = ImageFolder.read(Path.of(root, "cifar10-subset", "val"),
                ImageFolder.Options.defaults().withLimitPerClass(5));
        assertEquals(50, r.images().size());
        assertEquals(10, r.images().numClasses());
        assertEquals("airplane", r.images().classNames().get(0));
        assertEquals(32, r.images().images().get(0).height());
        float sum = 0;
        for (float v : r.images().images().get(0).data()) {
            assertTrue(v >= 0 && v <= 1);
            sum += v;
        }
        assertTrue(sum > 0);
    }

    @Test
    void options_sizeAboveResizeBound_throws() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ImageFolder.Options(ImageDecoder.rgb(), false, 8193, 0));
        assertEquals("ImageFolder.Options: size must be <= 8192, got 8193", e.getMessage());
    }
}
