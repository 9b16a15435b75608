namespace TorchLoss.Data.Idx;

/// <summary>The contents of an IDX file of unsigned bytes: its dimensions (outermost first) and its elements, row-major.</summary>
public sealed record IdxArray(int[] Dimensions, byte[] Data)
{
    public int Rank => Dimensions.Length;

    public string ShapeText => string.Join(" x ", Dimensions);
}
