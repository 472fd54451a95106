namespace Kontor.Web;

/// <summary>Marker type for the UI strings in Resources/SharedResource*.resx.</summary>
public sealed class SharedResource;
