namespace HostPanel.Core.Catalog.Loading;

/// <summary>
/// One problem in a manifest: where (file, line, field path), what is wrong and how to fix it.
/// </summary>
public sealed record CatalogError(string File, int? Line, string FieldPath, string Message)
{
    public override string ToString()
    {
        var where = Line is { } line ? $"{File}:{line}" : File;
        return string.IsNullOrEmpty(FieldPath) ? $"{where}: {Message}" : $"{where}: {FieldPath}: {Message}";
    }
}
