using System.Threading.Tasks;
using Auth0.AuthenticationApi.Models;

namespace Auth0.AuthenticationApi.Samples
{
    public class SocialSample
    {
        private readonly AuthenticationApiClient client;

        public SocialSample(AuthenticationApiClient client) { this.client = client; }

        public async Task<AccessToken> WithFacebook(string facebookToken)
        {
            return await client.GetAccessTokenAsync(new AccessTokenRequest { AccessToken = facebookToken, Connection = "facebook" });
        }

        public Task<User> Profile(string idToken) => client.GetTokenInfoAsync(idToken);
    }
}
