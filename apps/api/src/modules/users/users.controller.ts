import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, ReqMeta, type AuthContext, type RequestMeta } from '../../common/auth/auth-context';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { UpdateProfileDto, UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users/me')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Endpoint({ summary: 'Your profile, including how one-time codes reach you' })
  @ApiOkResponse({ type: UserDto })
  getMe(@Auth() auth: AuthContext): Promise<UserDto> {
    return this.users.me(auth);
  }

  @Patch()
  @Endpoint({
    summary: 'Update your profile and Discord delivery settings',
    description: 'Changing where one-time codes go needs `confirmation_code`: proof of the current sign-in factor.',
    sessionOnly: true,
    errors: [400],
  })
  @ApiOkResponse({ type: UserDto })
  updateMe(@Auth() auth: AuthContext, @Body() input: UpdateProfileDto, @ReqMeta() meta: RequestMeta): Promise<UserDto> {
    return this.users.updateProfile(auth, input, meta);
  }
}
