namespace Kontor.Tests; public static class Placeholder {}
