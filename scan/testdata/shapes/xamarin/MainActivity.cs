using System.Threading.Tasks;
using Auth0.SDK;

namespace Sample
{
    public class MainActivity
    {
        private readonly Auth0Client client = new Auth0Client("acme.auth0.com", "abc");

        public async Task SignIn(string userName, string password)
        {
            // The widget opens on this view: it is not a resource-owner call.
            await this.client.LoginAsync(this, "google-oauth2");
            await this.client.LoginAsync("Username-Password-Authentication", userName, password);
        }

        public async Task Renew()
        {
            await this.client.RenewIdToken();
            await this.client.RefreshToken();
        }
    }
}
