using System.Globalization;
using TorchLoss.Data;
using TorchLoss.Data.Tables;
using TorchSharp;

namespace TorchLoss.Tests.Data.Tables;

public sealed class TableDataTests : IDisposable
{
    readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    string Write(string name, string text)
    {
        File.WriteAllText(temp[name], text);
        return temp[name];
    }

    static ClassificationData Load(string path, TableOptions? options = null, DataOptions? data = null, IReadOnlyList<string>? names = null) =>
        TableData.Load(new TableFile(path, path.EndsWith(".tsv") ? '\t' : ','), options ?? new TableOptions(), data ?? new DataOptions(), torch.CPU, names);

    string Error(string text, TableOptions? options = null, DataOptions? data = null)
    {
        var path = Write("bad.csv", text);
        return Assert.ThrowsAny<IOException>(() => Load(path, options, data)).Message;
    }

    static long[] Labels(TensorSplit split) => split.Y.data<long>().ToArray();

    static float[,] Rows(TensorSplit split)
    {
        var values = split.X.data<float>().ToArray();
        var width = (int)split.X.shape[1];
        var rows = new float[split.Count, width];
        for (var i = 0; i < values.Length; i++) rows[i / width, i % width] = values[i];
        return rows;
    }

    [Fact]
    public void A_table_becomes_stratified_train_validation_and_test_splits_of_every_row()
    {
        using var data = Load(Write("a.csv", TableFiles.Animals(rowsPerClass: 30)));
        Assert.Equal(["cat", "dog", "fox"], data.ClassNames);
        Assert.Equal((2, 3, (int?)null), (data.Features, data.ClassCount, data.ImageSize?.Height));
        // 90 rows: 18 test (6 per class), then 20 % of the 72 left for validation (about 5 per class).
        Assert.Equal((58, 14, 18), (data.Train.Count, data.Validation.Count, data.Test.Count));
        foreach (var (split, perClass) in new[] { (data.Test, new[] { 6, 6, 6 }), (data.Train, new[] { 19, 20, 19 }) })
            Assert.Equal(perClass.Select(n => (double)n), Enumerable.Range(0, 3).Select(c => (double)Labels(split).Count(l => l == c)), new ToleranceComparer(1));
        var provenance = data.TableProvenance!;
        Assert.Equal(["width", "height"], provenance.FeatureColumns);
        Assert.Equal((58, 14, 18), (provenance.TrainRows, provenance.ValidationRows, provenance.TestRows));
    }

    [Fact]
    public void The_same_split_seed_gives_the_same_split_and_another_seed_another()
    {
        var path = Write("a.csv", TableFiles.Animals());
        using var first = Load(path);
        using var again = Load(path);
        using var other = Load(path, new TableOptions { SplitSeed = 7 });
        Assert.Equal(first.Test.X.data<float>().ToArray(), again.Test.X.data<float>().ToArray());
        Assert.NotEqual(first.Test.X.data<float>().ToArray(), other.Test.X.data<float>().ToArray());
    }

    [Fact]
    public void Features_are_standardised_with_the_training_split_alone()
    {
        using var data = Load(Write("a.csv", TableFiles.Animals()));
        var x = data.Train.X;
        Assert.All(x.mean([0]).data<float>().ToArray(), m => Assert.Equal(0, m, 1e-5));
        Assert.All(x.std([0], unbiased: false).data<float>().ToArray(), s => Assert.Equal(1, s, 1e-5));
        Assert.NotEqual(0, data.Test.X.mean([0]).data<float>()[0], 1e-3); // the test split's own mean is not used
        var standardization = data.FeatureStandardization!;
        Assert.Equal(["width", "height"], standardization.Features);
    }

    [Fact]
    public void Without_standardisation_the_values_are_those_of_the_file()
    {
        var path = Write("a.csv", "a,b,label\n1.25,-3,x\n2.5,4e2,y\n1.5,-7.75,x\n3,8,y\n1,1,x\n2,2,y\n1.1,0,x\n2.2,0,y\n1.3,0,x\n2.4,0,y\n");
        using var data = Load(path, new TableOptions { TestFraction = 0.2 }, new DataOptions { Standardize = false, ValidationSize = 0 });
        var expected = File.ReadLines(path).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => (float.Parse(f[0], CultureInfo.InvariantCulture), float.Parse(f[1], CultureInfo.InvariantCulture)), f => f[2] == "x" ? 0L : 1L);
        foreach (var split in new[] { data.Train, data.Test })
        {
            var rows = Rows(split);
            var labels = Labels(split);
            for (var i = 0; i < split.Count; i++) Assert.Equal(expected[(rows[i, 0], rows[i, 1])], labels[i]);
        }
        Assert.Equal(10, data.Train.Count + data.Test.Count);
        Assert.Null(data.FeatureStandardization);
    }

    [Fact]
    public void Numeric_labels_are_classes_in_numeric_order_and_text_labels_in_ordinal_order()
    {
        using var numeric = Load(Write("n.csv", "f,label\n1,10\n2,2\n3,10\n4,2\n5,-1\n6,-1\n7,10\n8,2\n9,-1\n10,10\n11,2\n12,-1\n"));
        Assert.Equal(["-1", "2", "10"], numeric.ClassNames);
        using var text = Load(Write("t.csv", "f,label\n1,b\n2,B\n3,a\n4,b\n5,B\n6,a\n7,b\n8,B\n9,a\n10,b\n11,B\n12,a\n"));
        Assert.Equal(["B", "a", "b"], text.ClassNames);
        using var numbered = Load(Write("c.csv", "f,label\n" + string.Concat(Enumerable.Range(0, 24).Select(i => $"{i},c{i % 12}\n"))));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"c{i}"), numbered.ClassNames); // c2 before c10
    }

    [Fact]
    public void A_dataset_that_names_its_classes_maps_label_i_to_name_i()
    {
        var path = Write("s.csv", "3,1,x,y\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}\n")));
        using var data = Load(path, new TableOptions { SkipRows = 1, Header = HeaderMode.Absent }, names: ["even", "odd"]);
        Assert.Equal(["even", "odd"], data.ClassNames);
        Assert.Equal(["0", "1"], data.TableProvenance!.LabelValues);
    }

    [Fact]
    public void A_tsv_file_with_a_chosen_label_and_features_reads_only_those()
    {
        var path = Write("a.tsv", "kind\tid\tw\th\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"k{i % 3}\t{i}\t{i % 3}\t{i % 3 * 2}\n")));
        using var data = Load(path, new TableOptions { LabelColumn = "kind", FeatureColumns = "w,h" }, new DataOptions { Standardize = false });
        Assert.Equal(2, data.Features);
        var rows = Rows(data.Train);
        var labels = Labels(data.Train);
        for (var i = 0; i < data.Train.Count; i++) Assert.Equal((labels[i], labels[i] * 2f), (rows[i, 0], rows[i, 1]));
    }

    [Fact]
    public void A_test_file_is_the_test_split_and_may_not_bring_new_classes()
    {
        var train = Write("train.csv", TableFiles.Animals(rowsPerClass: 10));
        var test = Write("test.csv", TableFiles.Animals(rowsPerClass: 4, seed: 2));
        using (var data = Load(train, new TableOptions { TestFile = test }))
            Assert.Equal((24, 6, 12), (data.Train.Count, data.Validation.Count, data.Test.Count));
        var unknown = Write("unknown.csv", "width,height,kind\n1,2,cat\n3,4,wolf\n");
        Assert.Equal($"{unknown}: line 3: class 'wolf' does not occur in the training file {train}",
            Assert.Throws<TableFormatException>(() => Load(train, new TableOptions { TestFile = unknown })).Message);
    }

    [Fact]
    public void A_ragged_row_names_its_line() =>
        Assert.Equal($"{temp["bad.csv"]}: line 3 has 2 columns but the header has 3", Error("a,b,label\n1,2,x\n3,4\n5,6,y\n"));

    [Fact]
    public void A_word_among_the_features_names_line_and_column() =>
        Assert.Equal($"{temp["bad.csv"]}: line 4, column 1 (b): 'n/a' is not a finite number", Error("a,b,label\n1,2,x\n3,4,y\n5,n/a,y\n"));

    [Fact]
    public void A_missing_value_is_refused() =>
        Assert.Equal($"{temp["bad.csv"]}: line 2, column 0 (a): the value is missing (fill it in or drop the row)", Error("a,b,label\n,2,x\n3,4,y\n"));

    [Fact]
    public void A_missing_label_is_refused() =>
        Assert.Equal($"{temp["bad.csv"]}: line 3, column 2 (label): the label is empty", Error("a,b,label\n1,2,x\n3,4,\n"));

    [Fact]
    public void An_empty_file_is_refused() => Assert.Equal($"{temp["bad.csv"]}: the file is empty", Error(""));

    [Fact]
    public void A_file_of_blank_lines_has_no_rows() => Assert.Equal($"{temp["bad.csv"]}: the file has no rows", Error("\n\n  \n"));

    [Fact]
    public void One_class_is_not_a_classification_task() =>
        Assert.Equal($"{temp["bad.csv"]}: every row has class 'x' in column 2 (label); a classifier needs at least two classes",
            Error("a,b,label\n1,2,x\n3,4,x\n5,6,x\n"));

    [Fact]
    public void A_class_left_without_training_examples_is_named()
    {
        var text = "a,label\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"{i},{(i % 2 == 0 ? "even" : "odd")}\n"));
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(temp["bad.csv"])}: class '(even|odd)' has no training example \\(10 row\\(s\\) in all; ",
            Error(text, new TableOptions(), new DataOptions { TrainLimit = 1 }));
    }

    [Fact]
    public void A_named_dataset_refuses_a_label_outside_its_classes()
    {
        var path = Write("s.csv", "0,0\n1,1\n2,2\n3,0\n");
        Assert.Equal($"{path}: line 3: class '2' is not one of the dataset's classes 0..1",
            Assert.Throws<TableFormatException>(() => Load(path, new TableOptions { Header = HeaderMode.Absent }, names: ["a", "b"])).Message);
    }

    [Fact]
    public void A_binary_task_is_for_images() =>
        Assert.Throws<FormatException>(() => Load(Write("a.csv", TableFiles.Animals()), data: new DataOptions { Binary = new BinaryTask(1, 2) }));

    [Fact]
    public void A_models_data_is_mapped_and_standardised_as_the_run_recorded_never_refitted()
    {
        using var trained = Load(Write("a.csv", TableFiles.Animals()));
        var path = Write("new.csv", "width,height,kind\n10,20,fox\n0,0,cat\n");
        var standardization = trained.FeatureStandardization!;
        using var data = TableData.ForModel(new TableFile(path, ','), new TableOptions(), trained.TableProvenance!, trained.ClassNames, standardization, torch.CPU);
        Assert.Equal((0, 0, 2), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal([2L, 0L], Labels(data.Test));
        var rows = Rows(data.Test);
        Assert.Equal((10 - standardization.Mean[0]) / standardization.Scale[0], rows[0, 0], 5);
        Assert.Equal((0 - standardization.Mean[1]) / standardization.Scale[1], rows[1, 1], 5);
        var unknown = Write("wolf.csv", "width,height,kind\n1,2,wolf\n");
        Assert.Equal($"{unknown}: line 2: class 'wolf' is not one the model was trained on (cat, dog, fox)",
            Assert.Throws<TableFormatException>(() => TableData.ForModel(new TableFile(unknown, ','), new TableOptions(), trained.TableProvenance!,
                trained.ClassNames, standardization, torch.CPU)).Message);
    }

    [Fact]
    public void A_test_file_with_its_columns_reordered_is_read_by_the_training_files_names()
    {
        var train = Write("train.csv", TableFiles.Animals(rowsPerClass: 10));
        var testText = TableFiles.Animals(rowsPerClass: 4, seed: 2);
        var test = Write("test.csv", testText);
        var reordered = Write("reordered.csv", string.Concat(testText.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(',')).Select(f => $"{f[2]},{f[1]},{f[0]}\n")));
        using var inOrder = Load(train, new TableOptions { TestFile = test });
        using var byName = Load(train, new TableOptions { TestFile = reordered });
        Assert.Equal(inOrder.Test.X.data<float>().ToArray(), byName.Test.X.data<float>().ToArray());
        Assert.Equal(Labels(inOrder.Test), Labels(byName.Test));
        var renamed = Write("renamed.csv", testText.Replace("height", "hight"));
        Assert.Equal($"{renamed}: its columns are not the training file's (they are matched by header name, in any order): missing 'height'; extra 'hight'",
            Assert.Throws<TableFormatException>(() => Load(train, new TableOptions { TestFile = renamed })).Message);
    }

    [Fact]
    public void The_provenance_records_the_header_and_each_files_sha256()
    {
        var train = Write("train.csv", TableFiles.Animals(rowsPerClass: 10));
        var test = Write("test.csv", TableFiles.Animals(rowsPerClass: 4, seed: 2));
        using var data = Load(train, new TableOptions { TestFile = test });
        var provenance = data.TableProvenance!;
        Assert.Equal((FileCheck.Sha256Hex(train), FileCheck.Sha256Hex(test)), (provenance.FileSha256, provenance.TestFileSha256));
        Assert.Equal(["width", "height", "kind"], provenance.Header!.Columns);
        Assert.Equal(2, provenance.Header.Label);
        Assert.Equal([0, 1], provenance.Header.Features);
    }

    [Theory]
    [InlineData("a,label\n1,x\n2,y\n3,z\n", "the test split is empty (every class has a single row, which training keeps); " +
                                              "give more rows per class, a --test-file, or --no-test to train without one")]
    [InlineData("a,label\n1,x\n2,y\n", "the test split is empty (a 0.2 share of 2 rows rounds to none); " +
                                         "give more rows, a larger --test-fraction, a --test-file, or --no-test to train without one")]
    public void An_empty_test_split_is_refused_unless_it_is_not_scored(string text, string message)
    {
        Assert.Equal($"{temp["bad.csv"]}: {message}", Error(text));
        using var data = Load(temp["bad.csv"], data: new DataOptions { ScoresTest = false, ValidationSize = 0 });
        Assert.Equal((text.Count(c => c == '\n') - 1, 0, 0), (data.Train.Count, data.Validation.Count, data.Test.Count));
    }

    [Fact]
    public void An_empty_validation_split_is_refused_unless_none_was_asked_for()
    {
        var train = Write("train.csv", "a,label\n1,x\n2,y\n3,z\n");
        var test = Write("test.csv", "a,label\n1,x\n2,y\n");
        Assert.Equal($"{train}: the validation split is empty (every class has a single row, which training keeps); " +
                     "give more rows per class, or --validation-size 0 to train without one",
            Assert.Throws<TableFormatException>(() => Load(train, new TableOptions { TestFile = test })).Message);
        using var data = Load(train, new TableOptions { TestFile = test }, new DataOptions { ValidationSize = 0 });
        Assert.Equal((3, 0, 2), (data.Train.Count, data.Validation.Count, data.Test.Count));
        var two = Write("two.csv", "a,label\n1,x\n2,y\n");
        Assert.Equal($"{two}: the validation split is empty (a 0.2 share of 2 training rows rounds to none); " +
                     "give more rows, a larger --validation-size, or --validation-size 0 to train without one",
            Assert.Throws<TableFormatException>(() => Load(two, new TableOptions { TestFile = test })).Message);
    }

    /// <summary>A comparer for counts that may differ by the rounding of a stratified split.</summary>
    sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double value) => 0;
    }
}
