using System;
using System.Threading.Tasks;
using Auth0.AuthenticationApi;
using Auth0.AuthenticationApi.Models;

public class TokenService
{
    private readonly AuthenticationApiClient _client = new AuthenticationApiClient(new Uri("https://acme.auth0.com"));

    public Task<AccessToken> Delegate(string refreshToken)
    {
        return _client.GetDelegationTokenAsync(new RefreshTokenDelegationRequest("demo-native-app", "demo-native-app", refreshToken));
    }

    public Task<AuthenticationResponse> Login(string user, string password)
    {
        return _client.AuthenticateAsync(new AuthenticationRequest { ClientId = "demo-native-app", Username = user, Password = password, Connection = "db" });
    }
}
