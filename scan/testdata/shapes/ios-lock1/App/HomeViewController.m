#import <Lock/Lock.h>
#import "HomeViewController.h"

@implementation HomeViewController

- (void)loadProfileWithIdToken:(NSString *)idToken refreshToken:(NSString *)refreshToken {
    A0Lock *lock = [A0Lock sharedLock];
    [lock.apiClient fetchUserProfileWithIdToken:idToken success:^(A0UserProfile *profile) {
        self.profile = profile;
    } failure:^(NSError *error) {
        [lock.apiClient fetchNewIdTokenWithRefreshToken:refreshToken parameters:nil success:^(A0Token *token) {
            self.token = token;
        } failure:nil];
    }];
}

@end
