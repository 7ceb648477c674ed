using Microsoft.Build.Framework;

namespace Sbir.Container.Tasks;

/// <summary>
/// The parameters every task over a profile's stack takes (ComposeStack for compose, SwarmStack for a swarm stack): the
/// profile, its compose files and compose profiles as config/docker.yaml gives them, the .env file, the configuration
/// whose environment contract says which values are secret, and the docker CLI. One list, so the two stay the same.
/// </summary>
public abstract class ProfileStackTask : SbirTask
{
    /// <summary>The project directory (compose's project directory).</summary>
    [Required] public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>The SBIR profile (SbirComposeProfile).</summary>
    public string Profile { get; set; } = string.Empty;

    /// <summary>The profile's compose files, from config/docker.yaml; none is the default compose file.</summary>
    public string[] Files { get; set; } = [];

    /// <summary>The compose profiles the SBIR profile enables, from config/docker.yaml.</summary>
    public string[] ComposeProfiles { get; set; } = [];

    /// <summary>The profiles config/docker.yaml defines (to reject unknown ones).</summary>
    public string[] KnownProfiles { get; set; } = [];

    /// <summary>The .env file.</summary>
    public string EnvFile { get; set; } = string.Empty;

    /// <summary>config/docker.yaml (SbirContainerConfigFile): its environment contract says which values are secret, to mask them.</summary>
    public string ConfigFile { get; set; } = string.Empty;

    /// <summary>The docker CLI (SbirDockerCli).</summary>
    public string DockerCli { get; set; } = "docker";
}
