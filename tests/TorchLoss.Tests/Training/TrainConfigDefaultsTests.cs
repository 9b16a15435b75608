using TorchLoss.Data.Tables;
using TorchLoss.Training;

namespace TorchLoss.Tests.Training;

/// <summary>Configs that compute the same run are equal once the dataset's defaults are written out, so `compare` reuses
/// runs whose config.json names a default (as configs did before null meant "the dataset's default").</summary>
public sealed class TrainConfigDefaultsTests
{
    [Fact]
    public void An_image_runs_defaults_are_10000_validation_images_and_no_standardisation()
    {
        var older = new TrainConfig { ValidationSize = 10_000, Standardize = false };
        Assert.Equal(older, new TrainConfig().WithDatasetDefaults());
        Assert.NotEqual(older, new TrainConfig { ValidationSize = 5000 }.WithDatasetDefaults());
    }

    [Fact]
    public void A_tables_default_is_standardised_with_its_validation_share_left_to_the_split()
    {
        var table = new TrainConfig { Dataset = "csv:/data/a.csv" }.WithDatasetDefaults();
        Assert.Equal((null, true), (table.ValidationSize, table.Standardize));
        var digits = new TrainConfig { Dataset = "digits", Table = new TableOptions() }.WithDatasetDefaults();
        Assert.Equal(true, digits.Standardize);
    }
}
