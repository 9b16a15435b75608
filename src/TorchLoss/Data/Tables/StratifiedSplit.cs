namespace TorchLoss.Data.Tables;

/// <summary>
/// Seeded, stratified splits of a table's rows: each class gives its share of the rows taken (largest remainder), and
/// keeps at least one row behind. The same seed and stream give the same split on every machine.
/// </summary>
public static class StratifiedSplit
{
    /// <summary>Takes about <paramref name="count"/> of <paramref name="rows"/> (indices into <paramref name="labels"/>);
    /// both parts come in a seeded random order.</summary>
    public static (int[] Taken, int[] Others) Take(IReadOnlyList<int> rows, long[] labels, int classCount, int count, ulong seed, int stream)
    {
        var members = new int[classCount];
        foreach (var row in rows) members[labels[row]]++;
        var quota = Quotas(members, count);
        var order = EpochOrder.Permutation(rows.Count, seed, stream);
        var taken = new List<int>(count);
        var rest = new List<int>(Math.Max(rows.Count - count, 0));
        foreach (var position in order)
        {
            var row = rows[(int)position];
            var label = labels[row];
            if (quota[label] > 0)
            {
                quota[label]--;
                taken.Add(row);
            }
            else rest.Add(row);
        }
        return (taken.ToArray(), rest.ToArray());
    }

    static int[] Quotas(int[] members, int count)
    {
        var total = members.Sum();
        if (total == 0 || count <= 0) return new int[members.Length];
        var share = members.Select(n => (double)count * n / total).ToArray();
        var quota = share.Select((s, c) => Math.Min((int)Math.Floor(s), Math.Max(members[c] - 1, 0))).ToArray();
        var byRemainder = Enumerable.Range(0, members.Length).OrderByDescending(c => share[c] - Math.Floor(share[c])).ThenBy(c => c).ToArray();
        var missing = count - quota.Sum();
        while (missing > 0)
        {
            var placed = false;
            foreach (var c in byRemainder)
            {
                if (missing == 0) break;
                if (quota[c] >= members[c] - 1) continue;
                quota[c]++;
                missing--;
                placed = true;
            }
            if (!placed) break; // every class is down to its one row
        }
        return quota;
    }
}
