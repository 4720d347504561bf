<?php

use Auth0\SDK\API\Authentication;

class Legacy
{
    private $auth0;

    public function __construct(string $domain, string $clientId)
    {
        $this->auth0 = new Authentication($domain, $clientId);
    }

    public function firebase(string $idToken, string $target)
    {
        return $this->auth0->delegation($idToken, 'id_token', $target, 'firebase');
    }

    public function profile(string $idToken)
    {
        return $this->auth0->tokeninfo($idToken);
    }

    public function login(string $user, string $password)
    {
        # /oauth/ro through the SDK
        return $this->auth0->authorize_with_ro($user, $password, 'openid', 'db');
    }
}
